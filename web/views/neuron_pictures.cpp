// neuron_pictures.cpp - see neuron_pictures.h.
#include "neuron_pictures.h"

#include <algorithm>
#include <cmath>

namespace splinescope {
namespace {

constexpr std::uint8_t kLine[3] = {16, 16, 22}; // the zero sets: near black, on both hues

// Orange above zero, blue below (Okabe-Ito, as the Inspector's neuron grid), stronger for larger
// |v| / scale; grey at 0.
void diverging(double v, double scale, std::uint8_t* out) {
  const float base_pos[3] = {230, 159, 0}, base_neg[3] = {0, 114, 178}, grey = 58;
  const float t = static_cast<float>(std::clamp(std::abs(v) / std::max(scale, 1e-12), 0.0, 1.0));
  const float strength = v == 0 ? 0.0f : 0.3f + 0.7f * std::sqrt(t);
  const float* base = v > 0 ? base_pos : base_neg;
  for (int c = 0; c < 3; ++c)
    out[c] = static_cast<std::uint8_t>(std::lround(grey + strength * (base[c] - grey)));
  out[3] = 255;
}

std::uint8_t* texel_of(NeuronPictures& p, int i, int x, int y) {
  return const_cast<std::uint8_t*>(p.texel(i, x, y));
}

void put_line_texel(NeuronPictures& p, int i, int x, int y) {
  if (x < 0 || y < 0 || x >= p.side || y >= p.side) return;
  std::uint8_t* t = texel_of(p, i, x, y);
  t[0] = kLine[0], t[1] = kLine[1], t[2] = kLine[2], t[3] = 255;
}

// A segment of the plane into picture i, one texel wide (its texels stepped along the longer
// axis; the picture's edge clips it).
void draw_segment(NeuronPictures& p, int i, const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
  const Window& w = p.window;
  const double sx = p.side / w.width(), sy = p.side / w.height();
  const double ax = (a.x() - w.x0) * sx, ay = (w.y1 - a.y()) * sy;
  const double bx = (b.x() - w.x0) * sx, by = (w.y1 - b.y()) * sy;
  if ((ax < 0 && bx < 0) || (ay < 0 && by < 0) || (ax > p.side && bx > p.side) ||
      (ay > p.side && by > p.side))
    return;
  const int steps = std::max(1, static_cast<int>(std::ceil(std::max(std::abs(bx - ax), std::abs(by - ay)))));
  // A segment far outside the picture (a huge window edge) is clipped to a few thousand steps.
  const int n = std::min(steps, 4 * p.side);
  for (int s = 0; s <= n; ++s) {
    const double t = static_cast<double>(s) / n;
    put_line_texel(p, i, static_cast<int>(std::floor(ax + t * (bx - ax))),
                   static_cast<int>(std::floor(ay + t * (by - ay))));
  }
}

} // namespace

double neuron_pictures_cost(const Network& net, int side) {
  return static_cast<double>(side) * side * net.multiply_adds();
}

NeuronPictures make_neuron_pictures(const Network& net_in, const Window& window, int side,
                                    const Tessellation* tess) {
  NeuronPictures p;
  p.side = std::max(2, side);
  p.window = window;
  p.inputs = net_in.input_dim;
  p.hidden = net_in.hidden_neurons();
  p.outputs = net_in.outputs();
  p.columns = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(p.count())))));
  p.rows = (p.count() + p.columns - 1) / p.columns;
  p.rgba.assign(static_cast<std::size_t>(p.atlas_width()) * p.atlas_height() * 4, 0);
  const Network net = net_in.folded();
  const int n = p.side * p.side;

  // The texel centres, row 0 at the top. X: (D, n), the standard slice.
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(net.input_dim, n);
  for (int y = 0; y < p.side; ++y)
    for (int x = 0; x < p.side; ++x) {
      X(0, y * p.side + x) = window.x0 + window.width() * (x + 0.5) / p.side;
      if (net.input_dim > 1) X(1, y * p.side + x) = window.y1 - window.height() * (y + 0.5) / p.side;
    }

  // Every node's value at every texel, row by row: V (nodes, n).
  Eigen::MatrixXd V(p.count(), n);
  V.topRows(p.inputs) = X;
  Eigen::MatrixXd Z = X; // (n_l, n)
  int row = p.inputs;
  for (int l = 0; l < net.hidden_layers(); ++l) {
    const Layer& layer = net.layers[l];
    Eigen::MatrixXd H = layer.W * Z; // (n_l, n)
    H.colwise() += layer.b;
    V.middleRows(row, layer.width()) = H;
    row += layer.width();
    Z = H.unaryExpr([&](double h) { return activation_slope(layer.activation, layer.alpha, h) * h; });
  }
  Eigen::MatrixXd F = net.layers.back().W * Z; // (C, n)
  F.colwise() += net.layers.back().b;
  if (p.outputs == 1) {
    V.bottomRows(1) = F;
  } else {
    // Each logit's margin over the best other: > 0 where its class wins.
    for (int c = 0; c < p.outputs; ++c)
      for (int k = 0; k < n; ++k) {
        double best_other = -INFINITY;
        for (int o = 0; o < p.outputs; ++o)
          if (o != c) best_other = std::max(best_other, F(o, k));
        V(row + c, k) = F(c, k) - best_other;
      }
  }

  for (int i = 0; i < p.count(); ++i) {
    const double scale = V.row(i).cwiseAbs().maxCoeff();
    for (int k = 0; k < n; ++k) diverging(V(i, k), scale, texel_of(p, i, k % p.side, k / p.side));
  }

  // Zero sets: exact from the tessellation's edges for the layers it cut, else where the sign
  // changes between neighbouring texels.
  const int exact_layers = tess && tess->ok() ? std::min(tess->depth, net.hidden_layers()) : 0;
  std::vector<int> first_neuron(net.hidden_layers() + 1, 0);
  for (int l = 0; l < net.hidden_layers(); ++l) first_neuron[l + 1] = first_neuron[l] + net.layers[l].width();
  if (exact_layers > 0) {
    for (int e = 0; e < static_cast<int>(tess->edges.size()); ++e) {
      const TileEdge& edge = tess->edges[e];
      if (edge.layer < 0 || (edge.twin >= 0 && edge.twin < e)) continue; // region sides; each edge once
      const Eigen::Vector2d& a = tess->vertices[edge.from];
      const Eigen::Vector2d& b = tess->vertices[edge.to];
      draw_segment(p, p.inputs + first_neuron[edge.layer] + edge.neuron, a, b);
      for (int c = edge.coincident; c >= 0; c = tess->coincident[c].next)
        draw_segment(p, p.inputs + first_neuron[tess->coincident[c].layer] + tess->coincident[c].neuron, a, b);
    }
    p.exact_lines = first_neuron[exact_layers];
  }
  for (int i = p.inputs + first_neuron[exact_layers]; i < p.count(); ++i)
    for (int k = 0; k < n; ++k) {
      const int x = k % p.side, y = k / p.side;
      const bool positive = V(i, k) > 0;
      if ((x + 1 < p.side && (V(i, k + 1) > 0) != positive) ||
          (y + 1 < p.side && (V(i, k + p.side) > 0) != positive))
        put_line_texel(p, i, x, y);
    }
  return p;
}

} // namespace splinescope
