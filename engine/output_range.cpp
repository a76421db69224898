// output_range.cpp - grid statistics of one output and its gradient (see output_range.h).
#include "output_range.h"

#include "geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace splinescope {

double quantile(std::vector<double> values, double q) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
      values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  q = std::clamp(q, 0.0, 1.0);
  const std::size_t rank = static_cast<std::size_t>(std::lround(q * (values.size() - 1)));
  std::nth_element(values.begin(), values.begin() + rank, values.end());
  return values[rank];
}

OutputRange output_range(const Network& net, const Window& window, int output, int grid) {
  OutputRange r;
  if (net.layers.empty() || output < 0 || output >= net.outputs() || grid < 1) return r;
  const int n = grid * grid;
  // The standard slice as a 2-input network: forward_geometry carries one gradient matrix per
  // input and layer, (n_l, n) each, which at D = 784 and the default grid is 900 MB a layer. On
  // the plane it is two, and the slope within the slice is all this needs.
  const Network plane = net.input_dim == 2 ? net : restrict_to_slice(net, standard_slice(net.input_dim));
  Eigen::MatrixXd X(2, n); // (2, n): plane coordinates of the cell centres
  for (int j = 0; j < grid; ++j) {
    for (int i = 0; i < grid; ++i) {
      X(0, j * grid + i) = window.x0 + (i + 0.5) / grid * window.width();
      X(1, j * grid + i) = window.y0 + (j + 0.5) / grid * window.height();
    }
  }
  const ForwardGeometry g = forward_geometry(plane, X);
  std::vector<double> values(n), magnitudes(n), slopes(n);
  for (int p = 0; p < n; ++p) {
    values[p] = g.output(output, p);
    magnitudes[p] = std::abs(values[p]);
    slopes[p] = g.A[p].row(output).head<2>().norm(); // slope within the slice
  }
  r.lo = quantile(values, 0.02);
  r.hi = quantile(values, 0.98);
  r.abs_max = quantile(magnitudes, 0.98);
  r.gradient_max = quantile(slopes, 0.95);
  r.min = quantile(values, 0.0);
  r.max = quantile(values, 1.0);
  r.valid = std::isfinite(r.lo) && std::isfinite(r.hi) && std::isfinite(r.gradient_max);
  return r;
}

} // namespace splinescope
