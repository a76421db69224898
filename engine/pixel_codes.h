// pixel_codes.h - CPU reference of what the tile shader computes on a pixel grid.
//
// Grid convention (the shader's, with gl_FragCoord's origin at the bottom left): a W x H grid over
// the window [x0, x1] x [y0, y1] has pixel centres
//     x_i = x0 + (i + 0.5) / W * (x1 - x0),   y_j = y1 - (j + 0.5) / H * (y1 - y0),
// stored row-major with row j = 0 at the top (y near y1), like an image.
#pragma once

#include "code_hash.h"
#include "network.h"

#include <vector>

namespace splinescope {

// A rectangle of the input plane.
struct Window {
  double x0 = -3, x1 = 3, y0 = -3, y1 = 3;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

// Hash of the bits of neurons 0..neurons-1 of a code (all hidden neurons when neurons < 0).
CodeHash code_hash(const Code& code, int neurons = -1);

// The colour of a tile: tile_colour() of the whole code's hash when layers < 0 (the network's
// tiles), otherwise the refined family of hidden layers 1..layers (code_hash.h; widths: of at
// least those layers), where each layer's tiles keep their parent's hue family. Callers colour
// by fewer layers than the network has with layers >= 0.
Rgb layered_tile_colour(const Code& code, const std::vector<int>& widths, int layers);

// Code hashes of every pixel centre, row-major, top row first. layers: use the codes of hidden
// layers 1..layers only (all when layers < 0 or >= the number of hidden layers). 2-D inputs only.
//
// On grids with several pixels per tile this rasterises the exact tessellation of the window
// (geometry.h): each tile's hash goes to the pixels whose centres it contains, and the pixels
// whose centres lie within 1e-6 of the window's size of a tile edge or vertex row are evaluated
// directly, as are any a tile does not claim exactly once. When the tessellation would have more
// than one tile per 16 pixels it is not used. The result equals pixel_code_hashes_direct().
std::vector<CodeHash> pixel_code_hashes(const Network& net, const Window& window, int width,
                                        int height, int layers = -1);

// The same by evaluating the network at every pixel centre: the brute-force reference.
std::vector<CodeHash> pixel_code_hashes_direct(const Network& net, const Window& window, int width,
                                               int height, int layers = -1);

} // namespace splinescope
