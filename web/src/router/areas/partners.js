// Partners (quarterly scores, annual rating), innovation proposals and risks.
// Each area exports its routes (children of the app layout; lazy components, meta.roles / meta.writeRoles as in
// ../index.js) and the menu items it adds to the side menu's groups (src/menu.js), keyed by group.
export const routes = [
]

export const menu = {
  people: [],
  improvement: [],
}
