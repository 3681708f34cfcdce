// The areas of the product beyond the yearly cycle, each in its own module so that their routes and menu items
// live next to each other. ../index.js adds the routes to the app layout; src/menu.js adds the menu items.
import * as records from './records'
import * as feedback from './feedback'
import * as people from './people'
import * as partners from './partners'
import * as settings from './settings'

const AREAS = [records, feedback, people, partners, settings]

export const areaRoutes = AREAS.flatMap((a) => a.routes)

// pages outside the app layout that need no login (meta.public), e.g. the survey link page
export const areaPublicRoutes = AREAS.flatMap((a) => a.publicRoutes || [])

/** The menu items the areas add to the group `key`, in area order. */
export function areaMenu(key) {
  return AREAS.flatMap((a) => a.menu[key] || [])
}
