// plane_view.h - the plane view of a pane: the exact tessellation of its window and what comes of
// it (the tile count, the decision boundary, local complexity, what the highlighted neuron does),
// and the drawing of its tiles and points. It reads and writes only the pane it is given.
#pragma once

#include "pane.h"

namespace splinescope {

// The pane shows exact polygons (or the 3-D surface): its tessellation is wanted every frame.
bool shows_exact_tiles(const Pane& pane);
// A geometry refresh may come this frame (so in-frame training leaves room for it).
bool geometry_due(const Pane& pane, double now_ms);
// Brings the pane's geometry up to date when the network, the data or the view changed: every
// frame while exact tiles are drawn, at most twice a second while training otherwise. The
// tessellation gets 20 ms while training (retried every 2 s after running out), 250 ms paused;
// beyond, the count comes from a grid. Returns the milliseconds it took (0: nothing to do).
double update_plane_geometry(Pane& pane, bool playing, double now_ms);
// Brings pane.neuron_activity and pane.neuron_note up to date with the highlight, the weights, the
// view and the data (cheap when nothing changed).
void update_neuron_note(Pane& pane);

// Uploads what changed (weights, points) and updates the colour scales, before drawing.
void prepare_plane(Pane& pane, bool playing);
// The tiles (exact polygons within the budget, else per-pixel codes, coarser while training),
// then the points, into the canvas's framebuffer.
void draw_plane_tiles(Pane& pane, const Canvas& canvas, bool playing);
void draw_plane_points(Pane& pane, const Canvas& canvas);

} // namespace splinescope
