// export_image.h - the canvas's picture rendered offscreen at any size (PNG export), and the SVG
// of the exact tiles with the app's palette.
#pragma once

#include "pixel_codes.h"

#include <string>
#include <vector>

namespace splinescope {

constexpr int kMaxExportSide = 4096; // pixels per side of an exported image

// The window an image of width x height shows: the view's centre, at least the whole view, square
// pixels (an image of the canvas's aspect ratio shows exactly the view).
Window export_window(const Window& view, int width, int height);

// Renders what the canvas shows, without the panels: tiles (exact polygons when the canvas draws
// them, otherwise per pixel), region edges, the decision boundary, the highlighted neuron and the
// data points, into an offscreen (multisampled when affordable) framebuffer of width x height, and
// reads it back: rgba has width * height * 4 bytes, top row first, opaque. Lines and points are
// scaled with the image (a 2x image of the canvas looks like the canvas on a 2x screen).
// Returns "" or why it could not (size beyond 1..kMaxExportSide or the browser's limits).
std::string render_view_image(int width, int height, std::vector<unsigned char>* rgba);

// The exact tiles of the view (coloured by the layers the canvas colours by), the region edges
// and the decision boundary as they are shown, and the data points, as a standalone SVG. Returns
// "" and sets *error when the view has more tiles than the export budget.
std::string view_svg(std::string* error);

} // namespace splinescope
