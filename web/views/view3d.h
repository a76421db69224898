// view3d.h - the 3-D view: the surface z = f_k(x) of the chosen output (app.style.output_index)
// over the view's window, one flat facet per exact tile (each tile's output is affine), coloured
// in the current colour mode, with the tile edges and the decision boundary on it and the flat
// tessellation on the floor below; seen by an orbit camera (app.orbit_*). Beyond the tile budget
// the surface is a grid evaluated on the CPU instead, and the View panel says so.
#pragma once

#include <SDL.h>

namespace splinescope {

// Turns the 3-D view on or off (key V, the View panel, the page interface).
void set_view_3d(bool on);
// Draws the 3-D scene over the whole canvas, in place of the 2-D tiles and points.
void draw_view_3d();
// Mouse input in the 3-D view: drag orbits, the wheel moves the camera closer or further. True
// when the event was used (keys are not).
bool handle_event_3d(const SDL_Event& e);
// What the surface is made of, for the View panel; and whether it is the exact tessellation (not
// the grid that stands in beyond the tile budget).
const char* view_3d_status();
bool view_3d_exact();
// Data points drawn on the surface in the last 3-D frame (crosses, by class).
int view_3d_points();

} // namespace splinescope
