// neuron_pictures.h - what every node of a network computes over a window of the input plane, as
// one small picture each, for the network graph (web/panels/network_graph.h): an input is a ramp,
// a hidden neuron its pre-activation h on a diverging map (orange h > 0, blue h < 0) with its zero
// set drawn as a dark line, an output its value (one output: f, whose zero set is the decision
// boundary; several: the margin of its logit over the best other, zero where the class ties).
//
// The zero sets are the tessellation's edges when one of the same window is given (exact: the
// neuron's bent hyperplane, cut by the tiles of the layers before it), else the sign changes
// between neighbouring texels. Plain C++ over the engine: no GL, so it is tested natively.
#pragma once

#include "geometry.h"
#include "network.h"

#include <cstdint>
#include <vector>

namespace splinescope {

struct NeuronPictures {
  int side = 0;             // texels per picture side
  int columns = 0, rows = 0; // pictures per atlas row, atlas rows
  int inputs = 0, hidden = 0, outputs = 0; // pictures, in this order (hidden: global numbering)
  std::vector<std::uint8_t> rgba; // (rows * side) x (columns * side) texels, RGBA, row by row
  Window window;            // the window pictured, y up (texel row 0 is window.y1)
  int exact_lines = 0;      // hidden neurons whose zero set came from the tessellation
  int count() const { return inputs + hidden + outputs; }
  int atlas_width() const { return columns * side; }
  int atlas_height() const { return rows * side; }
  // Texel (x, y) of picture i, x to the right, y down; 4 bytes.
  const std::uint8_t* texel(int i, int x, int y) const {
    const int px = (i % columns) * side + x, py = (i / columns) * side + y;
    return &rgba[4 * (static_cast<std::size_t>(py) * atlas_width() + px)];
  }
};

// Multiply-adds make_neuron_pictures() spends for a side: side^2 forward passes.
double neuron_pictures_cost(const Network& net, int side);

// The pictures of every node of `net` over `window`, side x side texels each. tess: a tessellation
// of the standard slice over the same window, or null; its edges give the zero sets of the hidden
// layers it covers (tess->depth).
NeuronPictures make_neuron_pictures(const Network& net, const Window& window, int side,
                                    const Tessellation* tess = nullptr);

} // namespace splinescope
