// output_range.h - robust ranges of one network output over a window: the scales of the app's
// colour maps (output value, gradient norm) and of the height of its 3-D surface.
//
// The statistics are quantiles over a regular grid of cell centres, so they are area-weighted: a
// few tiny, steep tiles (slivers near a crossing of many lines) cannot set the scale, and the
// figures move continuously with the weights, which keeps colours and heights steady while the
// network trains.
#pragma once

#include "network.h"
#include "pixel_codes.h"

#include <vector>

namespace splinescope {

struct OutputRange {
  double lo = 0, hi = 0;   // 2nd and 98th percentiles of f_k over the window
  double abs_max = 0;      // 98th percentile of |f_k|
  double gradient_max = 0; // 95th percentile of |grad f_k| (the norm of row k of A on the tile)
  double min = 0, max = 0; // extremes of f_k over the grid
  bool valid = false;      // false when the network gave no finite value on the window
};

// Output `output` of the network over the window (for D > 2: its standard slice), sampled at the
// centres of a grid x grid raster.
OutputRange output_range(const Network& net, const Window& window, int output, int grid = 48);

// The q-quantile (q in [0, 1]) of the finite values, by nearest rank on a sorted copy; NaN when
// there is none.
double quantile(std::vector<double> values, double q);

} // namespace splinescope
