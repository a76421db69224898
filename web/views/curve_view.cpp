// curve_view.cpp - the curve view of a pane (see curve_view.h).
//
// Index
//   [SECTION] Geometry
//   [SECTION] Drawing
#include "curve_view.h"

#include "code_hash.h"
#include "colouring.h"
#include "renderer.h"

#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace splinescope {

namespace {
constexpr double kComplexityRadius = 0.1;   // as the plane view's local complexity chart
constexpr double kComplexityEveryMs = 250;  // while training
constexpr double kDataExtent = 3.0;         // the line's datasets lie in [-3, 3]
constexpr float kBandAlpha = 0.55f;         // the pieces' shading behind the curve
constexpr double kMaxFittedY = 100;         // the fitted view's y range at most (a diverging fit)
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Geometry
// -----------------------------------------------------------------------------------------------

double update_curve_geometry(Pane& pane, bool playing, double now_ms) {
  const bool moved = pane.tess_view.x0 != pane.view.x0 || pane.tess_view.x1 != pane.view.x1;
  const bool stale = pane.tiles_counted_at < 0 || pane.tiles_counted_at != pane.session->steps() ||
                     moved || pane.curve_replay != pane.replay;
  if (!stale) return 0;
  const double t0 = emscripten_get_now();
  const Network& net = pane.shown_network();
  pane.curve = tessellate_interval(net, pane.view.x0, pane.view.x1);
  // The plane's geometry does not apply (a tessellation or locator of an earlier 2-D network).
  pane.tess = Tessellation{};
  pane.tess.status = TessellationStatus::invalid_input;
  pane.tess.message = "a network of one input has pieces, not tiles";
  pane.locator.reset();
  pane.boundary = Contour{};
  pane.tess_view = pane.view;
  pane.curve_replay = pane.replay;
  pane.grid_tiles = pane.curve.ok() ? pane.curve.piece_count() : 0;
  pane.grid_size = 0;
  pane.tiles_counted_at = pane.session->steps();
  if (pane.replay < 0) {
    if (!playing || now_ms - pane.complexity_at >= kComplexityEveryMs) {
      // Local complexity about the data and about the decision boundary: the zeros of f.
      std::vector<double> zeros;
      if (pane.curve.ok() && pane.curve.outputs == 1)
        for (const Piece1d& p : pane.curve.pieces) {
          const double a = p.slope(0), b = p.intercept(0);
          if (a != 0 && -b / a >= p.t0 && -b / a < p.t1) zeros.push_back(-b / a);
        }
      Eigen::MatrixXd boundary(1, static_cast<Eigen::Index>(zeros.size())); // (1, zeros)
      for (std::size_t k = 0; k < zeros.size(); ++k) boundary(0, static_cast<Eigen::Index>(k)) = zeros[k];
      Session::Figures figures = pane.session->local_complexity(kComplexityRadius, boundary);
      figures.tiles = pane.grid_tiles;
      pane.session->report(figures);
      pane.complexity_at = now_ms;
    } else {
      pane.session->report_tiles(pane.grid_tiles);
    }
  }
  pane.last_geometry_ms = emscripten_get_now() - t0;
  pane.counted_time = now_ms;
  return pane.last_geometry_ms;
}

Window fit_curve_view(const Pane& pane, double left, double top, double right, double bottom,
                      int canvas_width, int canvas_height) {
  const double w = std::max(1, canvas_width), h = std::max(1, canvas_height);
  // y: the targets' range (regression) or the logits' usual one (classification), and the
  // curve's over the data (a logit grows as it trains: the fitted view follows it), with room.
  const Split& data = pane.session->data();
  double lo = -1.5, hi = 1.5;
  if (data.train.is_regression() && data.train.size() > 0) {
    lo = std::min(-1.0, data.train.targets.minCoeff());
    hi = std::max(1.0, data.train.targets.maxCoeff());
  }
  if (pane.curve.ok()) {
    const int output = std::clamp(pane.style.output_index, 0, pane.curve.outputs - 1);
    for (const Piece1d& p : pane.curve.pieces)
      for (double x : {std::clamp(p.t0, -kDataExtent, kDataExtent), std::clamp(p.t1, -kDataExtent, kDataExtent)}) {
        const double f = p.slope(output) * x + p.intercept(output);
        if (std::isfinite(f)) lo = std::min(lo, std::max(f, -kMaxFittedY)), hi = std::max(hi, std::min(f, kMaxFittedY));
      }
  }
  const double margin = 0.2 * (hi - lo);
  lo -= margin;
  hi += margin;
  // The free rectangle shows x in [-3, 3] and y in [lo, hi]; the canvas around it continues both.
  const double per_px_x = 2 * kDataExtent / std::max(1.0, right - left);
  const double per_px_y = (hi - lo) / std::max(1.0, bottom - top);
  const double x0 = -kDataExtent - left * per_px_x;
  const double y1 = hi + top * per_px_y;
  return Window{x0, x0 + w * per_px_x, y1 - h * per_px_y, y1};
}

int curve_piece_at(const Pane& pane, double x) {
  if (!pane.curve.ok() || x < pane.curve.t0 || x > pane.curve.t1) return -1;
  return pane.curve.locate(x);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Drawing
// -----------------------------------------------------------------------------------------------

namespace {

ImU32 colour(const Rgb& c, float alpha = 1.0f) { return ImColor(c.r, c.g, c.b, alpha); }

// A round step for axis ticks: 1, 2 or 5 times a power of ten, about `target` long.
double tick_step(double target) {
  const double p = std::pow(10.0, std::floor(std::log10(target)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= target) return m * p;
  return 10 * p;
}

} // namespace

std::vector<CurveBand> curve_bands(const Pane& pane, const Tessellation1d& curve, const Window& v,
                                   int width) {
  std::vector<CurveBand> bands;
  if (!curve.ok()) return bands;
  const float* background = background_rgb(pane.style);
  const auto px = [&](double x) {
    return static_cast<int>(std::clamp(std::lround((x - v.x0) / v.width() * width), 0L, static_cast<long>(width)));
  };
  for (const Piece1d& p : curve.pieces) {
    const Rgb c = washed(tile_colour(code_hash(p.code, curve.code_neurons)), pane.style.wash);
    CurveBand band{px(p.t0), px(p.t1), Rgb{background[0] + kBandAlpha * (c.r - background[0]),
                                            background[1] + kBandAlpha * (c.g - background[1]),
                                            background[2] + kBandAlpha * (c.b - background[2])}};
    if (band.x1 > band.x0) bands.push_back(band);
  }
  return bands;
}

namespace {
void draw_curve_at_origin(const Pane& pane, const Canvas& canvas, ImDrawList* list, const CurveLook& look);
} // namespace

// Drawn as if the pane's canvas started at the top left, then moved to where it is (compare mode).
void draw_curve(const Pane& pane, const Canvas& canvas, ImDrawList* list, const CurveLook& look) {
  const int first = list->VtxBuffer.Size;
  draw_curve_at_origin(pane, canvas, list, look);
  if (canvas.css_x == 0 && canvas.css_y == 0) return;
  const ImVec2 offset(static_cast<float>(canvas.css_x), static_cast<float>(canvas.css_y));
  for (int i = first; i < list->VtxBuffer.Size; ++i) {
    list->VtxBuffer[i].pos.x += offset.x;
    list->VtxBuffer[i].pos.y += offset.y;
  }
}

namespace {
void draw_curve_at_origin(const Pane& pane, const Canvas& canvas, ImDrawList* list, const CurveLook& look) {
  const Window& v = pane.view;
  const float cw = static_cast<float>(canvas.css_width), ch = static_cast<float>(canvas.css_height);
  const auto sx = [&](double x) { return static_cast<float>((x - v.x0) / v.width() * cw); };
  const auto sy = [&](double y) { return static_cast<float>((v.y1 - y) / v.height() * ch); };
  const Tessellation1d& curve = pane.curve;

  // Axes: y = 0 and x = 0, with ticks and labels.
  const ImU32 axis = look.light ? IM_COL32(40, 40, 50, 200) : IM_COL32(230, 230, 240, 170);
  const ImU32 grid = look.light ? IM_COL32(40, 40, 50, 40) : IM_COL32(230, 230, 240, 35);
  const double step_x = tick_step(v.width() / std::max(2.0f, cw / 90.0f));
  const double step_y = tick_step(v.height() / std::max(2.0f, ch / 70.0f));
  char label[32];
  for (double x = std::ceil(v.x0 / step_x) * step_x; x <= v.x1; x += step_x) {
    list->AddLine(ImVec2(sx(x), 0), ImVec2(sx(x), ch), grid);
    std::snprintf(label, sizeof label, "%g", std::abs(x) < 1e-12 ? 0.0 : x);
    list->AddText(ImVec2(sx(x) + 3, std::clamp(sy(0) + 2, 0.0f, ch - 18)), axis, label);
  }
  for (double y = std::ceil(v.y0 / step_y) * step_y; y <= v.y1; y += step_y) {
    list->AddLine(ImVec2(0, sy(y)), ImVec2(cw, sy(y)), grid);
    if (std::abs(y) < 1e-12) continue;
    std::snprintf(label, sizeof label, "%g", y);
    list->AddText(ImVec2(std::clamp(sx(0) + 3, 0.0f, cw - 40), sy(y) - 16), axis, label);
  }
  list->AddLine(ImVec2(0, sy(0)), ImVec2(cw, sy(0)), axis, 1.5f);
  list->AddLine(ImVec2(sx(0), 0), ImVec2(sx(0), ch), axis, 1.5f);

  // The knots: a tick across the axis in the colour of the layer that made them.
  if (curve.ok() && look.edge_width > 0)
    for (const Knot& k : curve.knots) {
      const Rgb c = layer_colour(k.layer);
      list->AddLine(ImVec2(sx(k.t), 0), ImVec2(sx(k.t), ch), colour(c, 0.35f), 1.0f);
    }

  // The curve f (output style.output_index), piece by piece over a dark casing, and the knots on it.
  if (!curve.ok()) return;
  const int output = std::clamp(pane.style.output_index, 0, curve.outputs - 1);
  const ImU32 casing = IM_COL32(13, 13, 20, 255);
  for (const Piece1d& p : curve.pieces)
    list->AddLine(ImVec2(sx(p.t0), sy(p.slope(output) * p.t0 + p.intercept(output))),
                  ImVec2(sx(p.t1), sy(p.slope(output) * p.t1 + p.intercept(output))), casing, 5.0f);
  for (const Piece1d& p : curve.pieces) {
    const Rgb c = tile_colour(code_hash(p.code, curve.code_neurons));
    list->AddLine(ImVec2(sx(p.t0), sy(p.slope(output) * p.t0 + p.intercept(output))),
                  ImVec2(sx(p.t1), sy(p.slope(output) * p.t1 + p.intercept(output))), colour(c), 3.0f);
  }
  // The highlighted neuron's knots (orange) and the one hovered in the graph (white): where it
  // switches, its zero set on the line.
  const auto neuron_knots = [&](int layer, int unit, ImU32 c) {
    for (const Knot& k : curve.knots)
      if (k.layer == layer - 1 && k.neuron == unit) {
        list->AddLine(ImVec2(sx(k.t), 0), ImVec2(sx(k.t), ch), casing, 5.0f);
        list->AddLine(ImVec2(sx(k.t), 0), ImVec2(sx(k.t), ch), c, 3.0f);
      }
  };
  if (pane.highlight_layer > 0) neuron_knots(pane.highlight_layer, pane.highlight_unit, IM_COL32(255, 120, 20, 255));
  if (pane.preview_layer > 0) neuron_knots(pane.preview_layer, pane.preview_unit, IM_COL32(250, 250, 255, 255));
  // Classification with one logit: its zeros are the decision boundary, marked across the axis.
  if (look.boundary && curve.outputs == 1 && !pane.session->data().train.is_regression())
    for (const Piece1d& p : curve.pieces) {
      const double a = p.slope(0), b = p.intercept(0);
      if (a == 0 || -b / a < p.t0 || -b / a >= p.t1) continue;
      const float x = sx(-b / a);
      list->AddLine(ImVec2(x, sy(0) - 14), ImVec2(x, sy(0) + 14), look.light ? casing : IM_COL32(245, 245, 250, 255), 3.0f);
    }
  if (look.edge_width > 0)
    for (const Knot& k : curve.knots) {
      const Eigen::VectorXd f = curve.evaluate(k.t); // (C)
      const ImVec2 at(sx(k.t), sy(f(output)));
      list->AddCircleFilled(at, 4.5f, casing, 12);
      list->AddCircleFilled(at, 3.0f, colour(layer_colour(k.layer)), 12);
    }
}

} // namespace

} // namespace splinescope
