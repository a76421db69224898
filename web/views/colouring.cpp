// colouring.cpp - tile vertex data with outputs, colour-mode uniforms and colour scales.
#include "colouring.h"

#include "pane.h"

#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace splinescope {

namespace {
void push_vertex(std::vector<float>& data, const Eigen::Vector2d& p, const Rgb& colour, float alpha,
                 const Eigen::VectorXd& f, double gradient) {
  data.insert(data.end(), {static_cast<float>(p.x()), static_cast<float>(p.y()), colour.r, colour.g,
                           colour.b, alpha});
  for (int k = 0; k < kShadedOutputs; ++k)
    data.push_back(k < f.size() ? static_cast<float>(f(k)) : 0.0f);
  data.push_back(static_cast<float>(gradient));
}

// The least and greatest value of output k over the fill vertices (extremes of an affine spline
// over a polygon lie at its vertices).
void output_extremes(TileMesh& mesh, int k) {
  double lo = INFINITY, hi = -INFINITY;
  for (int v = 0; v < mesh.fill_vertices; ++v) {
    const double f = mesh.data[static_cast<std::size_t>(v) * kTileVertexFloats + 6 + k];
    if (!std::isfinite(f)) continue;
    lo = std::min(lo, f);
    hi = std::max(hi, f);
  }
  mesh.f_min = lo <= hi ? lo : 0.0;
  mesh.f_max = lo <= hi ? hi : 0.0;
}
} // namespace

TileMesh tile_mesh(const Tessellation& tess, int output, int colour_layers, bool edges,
                   EdgeColour edge_colour) {
  TileMesh mesh;
  std::vector<float>& data = mesh.data;
  data.reserve(static_cast<std::size_t>(tess.tile_count()) * 6 * 3 * kTileVertexFloats);
  // Fewer layers than the tiling has: each layer's tiles in their parent's family.
  const int layers = colour_layers < 0 || colour_layers >= tess.hidden_layers ? -1 : colour_layers;
  const int k = std::clamp(output, 0, std::max(0, tess.map_rows - 1));
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Tile& tile = tess.tiles[t];
    const Rgb colour = layered_tile_colour(tile.code, tess.widths, layers);
    const double gradient = tess.map_rows > 0 ? tess.tile_A(t).row(k).norm() : 0.0;
    const Eigen::Vector2d& first = tess.vertices[tess.edges[tile.first_edge].from];
    const Eigen::VectorXd f_first = tess.evaluate(t, first); // (C)
    for (int e = 1; e + 1 < tile.edge_count; ++e) {
      const TileEdge& edge = tess.edges[tile.first_edge + e];
      push_vertex(data, first, colour, 1.0f, f_first, gradient);
      push_vertex(data, tess.vertices[edge.from], colour, 1.0f,
                  tess.evaluate(t, tess.vertices[edge.from]), gradient);
      push_vertex(data, tess.vertices[edge.to], colour, 1.0f,
                  tess.evaluate(t, tess.vertices[edge.to]), gradient);
    }
  }
  mesh.fill_vertices = static_cast<int>(data.size() / kTileVertexFloats);
  output_extremes(mesh, k);
  if (edges) {
    const Rgb dark{0.16f, 0.17f, 0.22f};
    const bool by_layer = edge_colour == EdgeColour::layer;
    const float alpha = by_layer ? kLayerEdgeAlpha : kMonoEdgeAlpha;
    for (int t = 0; t < tess.tile_count(); ++t) {
      const Tile& tile = tess.tiles[t];
      const double gradient = tess.map_rows > 0 ? tess.tile_A(t).row(k).norm() : 0.0;
      for (int e = tile.first_edge; e < tile.first_edge + tile.edge_count; ++e) {
        const TileEdge& edge = tess.edges[e];
        if (edge.layer < 0 || (edge.twin >= 0 && edge.twin < e)) continue;
        const Rgb colour = by_layer ? layer_colour(edge.layer) : dark;
        push_vertex(data, tess.vertices[edge.from], colour, alpha,
                    tess.evaluate(t, tess.vertices[edge.from]), gradient);
        push_vertex(data, tess.vertices[edge.to], colour, alpha,
                    tess.evaluate(t, tess.vertices[edge.to]), gradient);
      }
    }
  }
  mesh.edge_vertices = static_cast<int>(data.size() / kTileVertexFloats) - mesh.fill_vertices;
  return mesh;
}

TileMesh grid_mesh(const Network& net, const Window& window, int grid, int output,
                   int code_layers) {
  TileMesh mesh;
  if (grid < 2 || net.layers.empty()) return mesh;
  const int n = grid * grid;
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(net.input_dim, n); // (D, n), the standard slice
  for (int j = 0; j < grid; ++j) {
    for (int i = 0; i < grid; ++i) {
      X(0, j * grid + i) = window.x0 + window.width() * i / (grid - 1);
      X(1, j * grid + i) = window.y0 + window.height() * j / (grid - 1);
    }
  }
  const ForwardGeometry g = forward_geometry(net, X);
  const int hidden = net.hidden_layers();
  const int layers = code_layers < 0 || code_layers >= hidden ? -1 : code_layers;
  std::vector<int> widths;
  for (int l = 0; l < hidden; ++l) widths.push_back(net.layers[l].width());
  const int k = std::clamp(output, 0, net.outputs() - 1);
  std::vector<Rgb> colours(n);
  std::vector<double> gradients(n);
  for (int p = 0; p < n; ++p) {
    colours[p] = layered_tile_colour(g.codes[p], widths, layers);
    gradients[p] = g.A[p].row(k).head<2>().norm();
  }
  mesh.data.reserve(static_cast<std::size_t>(grid - 1) * (grid - 1) * 6 * kTileVertexFloats);
  auto vertex = [&](int i, int j, int flat) { // flat: the vertex whose colour the triangle takes
    const int p = j * grid + i;
    push_vertex(mesh.data, X.col(p).head<2>(), colours[flat], 1.0f, g.output.col(p),
                gradients[flat]);
  };
  for (int j = 0; j + 1 < grid; ++j) {
    for (int i = 0; i + 1 < grid; ++i) {
      const int c = (j + 1) * grid + i + 1, d = (j + 1) * grid + i;
      vertex(i, j, c), vertex(i + 1, j, c), vertex(i + 1, j + 1, c);
      vertex(i, j, d), vertex(i + 1, j + 1, d), vertex(i, j + 1, d);
    }
  }
  mesh.fill_vertices = static_cast<int>(mesh.data.size() / kTileVertexFloats);
  output_extremes(mesh, k);
  return mesh;
}

void bind_tile_vertex_layout() {
  const GLsizei stride = kTileVertexFloats * sizeof(float);
  auto attribute = [&](GLuint location, GLint size, int offset) {
    glEnableVertexAttribArray(location);
    glVertexAttribPointer(location, size, GL_FLOAT, GL_FALSE, stride,
                          reinterpret_cast<const void*>(offset * sizeof(float)));
  };
  attribute(0, 2, 0);  // position
  attribute(1, 4, 2);  // colour
  attribute(2, 4, 6);  // outputs 0-3
  attribute(3, 4, 10); // outputs 4-7
  attribute(4, 2, 14); // outputs 8-9
  attribute(5, 1, 16); // gradient norm
}

void set_colour_uniforms(GLuint program, const TileStyle& style, int outputs) {
  glUniform1i(glGetUniformLocation(program, "u_color_mode"), static_cast<int>(style.color_mode));
  glUniform1i(glGetUniformLocation(program, "u_output_index"), style.output_index);
  glUniform1i(glGetUniformLocation(program, "u_output_kind"), static_cast<int>(style.output_kind));
  glUniform1i(glGetUniformLocation(program, "u_outputs"), std::clamp(outputs, 1, kShadedOutputs));
  glUniform1f(glGetUniformLocation(program, "u_value_scale"), style.value_scale);
  glUniform1f(glGetUniformLocation(program, "u_gradient_scale"), style.gradient_scale);
  glUniform1f(glGetUniformLocation(program, "u_wash"), style.wash);
}

void update_colour_scales(Pane& pane, bool network_changed, bool playing) {
  bool& pending = pane.colour_scales.pending;
  Window& last_view = pane.colour_scales.view;
  int& last_output = pane.colour_scales.output;
  double& last_time = pane.colour_scales.at;
  const Network& net = pane.shown_network();
  const int outputs = std::max(1, net.outputs());
  TileStyle& style = pane.style;
  style.output_index = std::clamp(style.output_index, 0, outputs - 1);
  const bool regression = pane.session->data().train.is_regression();
  style.output_kind = outputs >= 2 ? OutputKind::classes
                      : regression ? OutputKind::regression
                                   : OutputKind::binary;
  if (style.output_index != last_output) {
    pane.tess_uploaded = false; // the polygons carry the chosen output's slope
    pending = true;
  }
  pending = pending || network_changed || std::memcmp(&last_view, &pane.view, sizeof last_view) != 0;
  last_view = pane.view;
  last_output = style.output_index;
  if (!pending || style.color_mode == ColorMode::code_hash) return;
  const double now = emscripten_get_now();
  if (playing && now - last_time < 150.0) return; // steady colours, little work
  last_time = now;
  pending = false;
  const OutputRange range = output_range(net, pane.view, style.output_index);
  if (!range.valid) return;
  style.gradient_scale = static_cast<float>(std::max(range.gradient_max, 1e-6));
  // Regression: the data's targets set the scale, which training does not change; the view's
  // outputs only when there are no targets.
  double scale = range.abs_max;
  if (regression && pane.session->data().train.size() > 0) {
    const Eigen::VectorXd& t = pane.session->data().train.targets; // (n)
    const double q = quantile(std::vector<double>(t.data(), t.data() + t.size()), 0.98);
    if (std::isfinite(q) && q > 0) scale = q;
  }
  style.value_scale = static_cast<float>(std::max(scale, 1e-6));
}

} // namespace splinescope
