// The areas of the product beyond the yearly cycle, each in its own module so that their routes and menu items
// live next to each other. ../index.js adds the routes to the app layout; src/menu.js adds the menu items.
import * as records from './records'
import * as people from './people'
import * as partners from './partners'
import * as settings from './settings'

const AREAS = [records, people, partners, settings]

export const areaRoutes = AREAS.flatMap((a) => a.routes)

/** The menu items the areas add to the group `key`, in area order. */
export function areaMenu(key) {
  return AREAS.flatMap((a) => a.menu[key] || [])
}
