// view3d.h - the 3-D view of a pane: the surface z = f_k(x) of the chosen output
// (pane.style.output_index) over the pane's window, one flat facet per exact tile (each tile's
// output is affine), coloured in the current colour mode, with the tile edges and the decision
// boundary on it and the flat tessellation on the floor below; seen by an orbit camera
// (pane.orbit_*). Beyond the tile budget the surface is a grid evaluated on the CPU instead, and
// the View panel says so. It reads and writes only the pane it is given.
#pragma once

#include "pane.h"

#include <SDL.h>

namespace splinescope {

// Turns the pane's 3-D view on or off.
void set_view_3d(Pane& pane, bool on);
// Draws the pane's 3-D scene over the canvas, in place of the 2-D tiles and points.
void draw_view_3d(Pane& pane, const Canvas& canvas, bool playing);
// Mouse input in the 3-D view: drag orbits, the wheel moves the camera closer or further.
// on_canvas: the event's point is on the canvas, not on a panel; *dragging: a drag is in
// progress. True when the event was used (keys are not).
bool handle_event_3d(Pane& pane, const SDL_Event& e, bool on_canvas, bool* dragging);
// What the surface is made of, for the View panel; and whether it is the exact tessellation (not
// the grid that stands in beyond the tile budget).
const char* view_3d_status(const Pane& pane);
bool view_3d_exact(const Pane& pane);
// Data points drawn on the surface in the last 3-D frame (crosses, by class).
int view_3d_points(const Pane& pane);

} // namespace splinescope
