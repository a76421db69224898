// curve_view.h - the view of a pane whose network has one input (the paper's Fig. 2): the graph of
// f over the view's x range, an affine spline. Each linear piece is a 1-D tile: an interval, shaded
// behind the curve in its code's tile colour (the plane view's palette), with the curve drawn over
// it piece by piece. The knots, where a neuron switches, are marked in their layer's colour; the
// data are drawn as points (x, target) for regression, and on the x axis in their class colour for
// classification, where f is the logit and its zeros are the decision boundary.
//
// The pane's window is the plot's: x0..x1 along the line, y0..y1 of f. The exact pieces come from
// the engine (geometry_1d.h), refreshed when the network or the window changes. The bands and the
// points are drawn by the plane view's GL pass (scissored clears, the points shader: blended
// rectangles over the whole canvas cost a software renderer a third of its frame), the axes, the
// knots and the curve with the interface's draw lists.
#pragma once

#include "pane.h"

#include <imgui.h>

#include <vector>

namespace splinescope {

// The pane shows a curve: its network has one input.
inline bool shows_curve(const Pane& pane) { return pane.shown_network().input_dim == 1; }

// Brings pane.curve (the pieces of the view's x range) and the pane's figures (pieces as the tile
// count, local complexity) up to date. Returns the milliseconds it took (0: nothing to do).
double update_curve_geometry(Pane& pane, bool playing, double now_ms);

// The window that shows the data's x range [-3, 3] across a free rectangle of the canvas
// (CSS px, left top right bottom), and the targets (or the logits' usual range) with a margin.
Window fit_curve_view(const Pane& pane, double left, double top, double right, double bottom,
                      int canvas_width, int canvas_height);

struct CurveLook {
  bool light = false;
  float edge_width = 1.0f; // the knots' ticks (0: none)
  bool boundary = true;    // classification: the logit's zeros marked on the axis
};

// The pieces' bands behind the curve: pixel columns [x0, x1) of an image `width` px wide showing
// `window`, and their colour (the piece's tile colour over the background), drawn by the plane
// view's GL pass and the image export.
struct CurveBand {
  int x0 = 0, x1 = 0;
  Rgb rgb;
};
std::vector<CurveBand> curve_bands(const Pane& pane, const Tessellation1d& curve, const Window& window,
                                   int width);

// Draws the curve over the bands into `list` (the canvas's background list), in CSS px.
void draw_curve(const Pane& pane, const Canvas& canvas, ImDrawList* list, const CurveLook& look);

// The piece under x, or -1.
int curve_piece_at(const Pane& pane, double x);

} // namespace splinescope
