// plane_view.cpp - the plane view of a pane (see plane_view.h).
//
// Index
//   [SECTION] Geometry
//   [SECTION] Neuron note
//   [SECTION] Drawing
#include "plane_view.h"

#include "colouring.h"
#include "curve_view.h"

#include <GLES3/gl3.h>
#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>

namespace splinescope {

namespace {
constexpr double kComplexityRadius = 0.1; // frame-estimate radius of the local complexity chart
constexpr double kGridMacBudget = 12e6;   // multiply-adds of the grid count's forward passes
constexpr double kTessRetryMs = 2000;     // while training: between tries of a failing tessellation
constexpr double kCountEveryMs = 500;     // while training, when the count is not what is drawn
constexpr double kComplexityEveryMs = 250; // while training: between local-complexity estimates
constexpr double kSettleMs = 300;          // a view unchanged this long is still
constexpr double kSplitFrameMs = 8;        // a geometry refresh this long uploads in the next frame
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Geometry
// -----------------------------------------------------------------------------------------------

namespace {
// Local complexity around the data and along the current tiles' decision boundary, reported to
// the session's history with the tile count.
void estimate_complexity(Pane& pane) {
  Session::Figures figures;
  if (pane.plane.on()) {
    // Image data: exact local complexity in the plane, around the three images (as "near the
    // training points": they are training images) and along the boundary; a 784-wide frame
    // estimate around every training image would cost seconds.
    const Eigen::MatrixXd anchors = pane.plane.anchors; // (2, 3) a, b, c
    const Eigen::MatrixXd boundary = sample_polylines(pane.boundary.polylines, 64); // (2, m)
    figures = Session::Figures{0, local_complexity(pane.tess, anchors, kComplexityRadius).mean, NAN,
                               boundary.cols() > 0 ? local_complexity(pane.tess, boundary, kComplexityRadius).mean : NAN};
  } else {
    figures = pane.session->local_complexity(kComplexityRadius, sample_polylines(pane.boundary.polylines, 64));
  }
  figures.tiles = pane.grid_tiles;
  pane.session->report(figures);
  pane.complexity_at = emscripten_get_now();
  pane.complexity_pending = false;
}

// Time for one tessellation: a share of a frame while training or while the view moves; more once
// paused and still, where a one-off wait is not felt and a busy machine should not leave the view
// on the approximate picture.
double geometry_budget_ms(bool busy) { return busy ? 20.0 : 250.0; }

// Exact tiles of the view, their decision boundary and the local-complexity figures (budgeted:
// beyond the budget the count falls back to distinct codes on a pixel grid whose size keeps its
// forward passes within kGridMacBudget: 256 x 256 for small networks, coarser for large ones).
// While busy (training, or the view moving), a network whose last tessellation ran out of tiles or
// time is tried again only every kTessRetryMs: each failed try would cost a whole budget.
void refresh_geometry(Pane& pane, bool busy) {
  const Network& net = pane.shown_network();
  TessellationOptions options;
  options.max_tiles = 50000;
  options.time_budget_ms = geometry_budget_ms(busy);
  options.clock_ms = [] { return emscripten_get_now(); };
  const double now = emscripten_get_now();
  if (busy && now - pane.tess_failed_at < kTessRetryMs) {
    // Counted as out of time with no budget: tried again once still (the retry below).
    pane.tess.status = TessellationStatus::time_budget_exceeded;
    pane.tess.message = "skipped while busy: the last tessellation ran out of its budget";
    options.time_budget_ms = 0;
  } else {
    tessellate_into(pane.tess, pane.tess_workspace, net, standard_slice(2), window_polygon(pane.view),
                    options);
    if (!pane.tess.ok()) pane.tess_failed_at = now;
  }
  // A tessellation that just used up its budget while busy leaves the grid count (as long again
  // for a large network) to the next frame: one frame does not take both.
  const bool defer_count = busy && !pane.tess.ok() && options.time_budget_ms > 0;
  pane.tess_view = pane.view;
  pane.tess_budget_ms = options.time_budget_ms;
  pane.tess_uploaded = false;
  pane.locator.reset();
  pane.boundary = Contour{};
  if (pane.tess.ok()) {
    pane.locator = std::make_unique<TileLocator>(pane.tess);
    pane.grid_tiles = pane.tess.tile_count();
    pane.boundary = decision_boundary(pane.tess);
  } else if (defer_count) {
    pane.tiles_counted_at = -1; // counted next frame, from the grid (the tessellation waits)
    return;
  } else {
    pane.grid_size = std::clamp(static_cast<int>(std::sqrt(kGridMacBudget / net.multiply_adds())), 16, 256);
    const auto hashes = pixel_code_hashes(net, pane.view, pane.grid_size, pane.grid_size);
    std::set<std::uint64_t> distinct;
    for (const CodeHash& h : hashes) distinct.insert(h.value());
    pane.grid_tiles = static_cast<int>(distinct.size());
  }
  if (pane.tess.ok()) pane.grid_size = 0;
  pane.complexity_pending = false;
  if (pane.tess.ok() && pane.replay < 0 && (!busy || now - pane.complexity_at >= kComplexityEveryMs)) {
    // Local complexity around the data and along the boundary, for the charts (live only; while
    // busy a few times a second: for a large network it costs as much as the tessellation, so
    // after an expensive tessellation it waits for a frame of its own).
    if (busy && emscripten_get_now() - now > kSplitFrameMs) {
      pane.complexity_pending = true;
      pane.session->report_tiles(pane.grid_tiles);
    } else {
      estimate_complexity(pane);
    }
  } else if (pane.tess.ok() && pane.replay < 0) {
    pane.session->report_tiles(pane.grid_tiles);
  }
  pane.tiles_counted_at = pane.session->steps();
  if (!pane.tess.ok() && pane.replay < 0) pane.session->report_tiles(pane.grid_tiles);
}
} // namespace

bool shows_exact_tiles(const Pane& pane) {
  return (pane.render_exact && pane.style.code_layers < 0) || pane.view_3d;
}

bool geometry_due(const Pane& pane, double now_ms) {
  return (shows_exact_tiles(pane) && pane.tess.ok()) || now_ms - pane.counted_time > kCountEveryMs;
}

double update_plane_geometry(Pane& pane, bool playing, double now_ms) {
  if (shows_curve(pane)) return update_curve_geometry(pane, playing, now_ms);
  const bool moved = std::memcmp(&pane.tess_view, &pane.view, sizeof pane.view) != 0;
  if (std::memcmp(&pane.moving_view, &pane.view, sizeof pane.view) != 0) {
    pane.moving_view = pane.view;
    pane.view_moved_at = now_ms;
  }
  // A view being panned or zoomed gets the small budget too: a large network's long try would
  // hold up every frame of the gesture. Once still, the long try comes once.
  const bool busy = playing || now_ms - pane.view_moved_at < kSettleMs;
  // Out of time while busy: try again with the larger budget once paused and still.
  const bool retry = pane.tess.status == TessellationStatus::time_budget_exceeded &&
                     pane.tess_budget_ms < geometry_budget_ms(busy);
  const bool stale = pane.tiles_counted_at < 0 || pane.tiles_counted_at != pane.session->steps() ||
                     moved || retry;
  const bool drawing_tiles = shows_exact_tiles(pane) && pane.tess.ok();
  // Local complexity an expensive refresh left due: this frame does only that (the tiles it
  // belongs to are still the view's: a refresh since would have cleared it).
  if (pane.complexity_pending && pane.tess.ok() && pane.replay < 0 && !moved) {
    const double t0 = emscripten_get_now();
    estimate_complexity(pane);
    return emscripten_get_now() - t0;
  }
  if (!stale || !(drawing_tiles || !playing || now_ms - pane.counted_time > kCountEveryMs)) return 0;
  // While training, a frame that uploads the last refresh's polygons does not also refresh.
  if (playing && pane.upload_pending && !pane.view_3d) return 0;
  const double t0 = emscripten_get_now();
  refresh_geometry(pane, busy);
  pane.last_geometry_ms = emscripten_get_now() - t0;
  // An expensive refresh while training: its polygons are uploaded in the next frame (this one
  // draws the previous ones), so that no frame does both.
  pane.defer_upload =
      playing && pane.last_geometry_ms > kSplitFrameMs && pane.tiles_drawn && !pane.view_3d;
  pane.counted_time = now_ms;
  return pane.last_geometry_ms;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Neuron note
// -----------------------------------------------------------------------------------------------

void update_neuron_note(Pane& pane) {
  std::string& last_key = pane.neuron_key;
  const int layer = pane.highlight_layer, unit = pane.highlight_unit;
  const Network& net = pane.shown_network();
  if (layer < 1 || layer > net.hidden_layers() || unit >= net.layers[layer - 1].width() ||
      shows_curve(pane)) {
    pane.neuron_note.clear();
    pane.neuron_activity = NeuronActivity{};
    last_key.clear();
    return;
  }
  const Split& data = pane.session->data();
  char key[160];
  std::snprintf(key, sizeof key, "%d.%d %lld %d %d %.17g %.17g %.17g %.17g %lld", layer, unit,
                static_cast<long long>(pane.tiles_counted_at), pane.replay, pane.tess.ok() ? 1 : 0,
                pane.tess_view.x0, pane.tess_view.x1, pane.tess_view.y0, pane.tess_view.y1,
                static_cast<long long>(data.train.size()));
  if (last_key == key) return;
  last_key = key;
  // At most 1,000 training points (they come in a random order) keep this cheap on big data.
  // (Image data: its points lie off the plane, so the note speaks of the view alone.)
  const Eigen::Index n = pane.plane.on() ? 0 : std::min<Eigen::Index>(data.train.size(), 1000);
  const Eigen::MatrixXd points = pane.plane.on() ? Eigen::MatrixXd(2, 0) : Eigen::MatrixXd(data.train.X.leftCols(n)); // (2, n)
  pane.neuron_exact = pane.tess.ok() && layer <= pane.tess.depth;
  if (pane.neuron_exact) {
    pane.neuron_activity = neuron_activity(pane.tess, net, layer - 1, unit, points);
  } else {
    // More tiles than the exact budget: the sides from a 64 x 64 grid of the view.
    constexpr int kGrid = 64;
    Eigen::MatrixXd grid(2, kGrid * kGrid); // (2, 64^2) cell centres
    const Window& v = pane.view;
    for (int i = 0; i < kGrid; ++i)
      for (int j = 0; j < kGrid; ++j)
        grid.col(i * kGrid + j) << v.x0 + v.width() * (i + 0.5) / kGrid,
            v.y0 + v.height() * (j + 0.5) / kGrid;
    const NeuronActivity on_grid = neuron_activity(Tessellation{}, net, layer - 1, unit, grid);
    NeuronActivity a = neuron_activity(Tessellation{}, net, layer - 1, unit, points);
    a.region_area = on_grid.points;
    a.active_area = on_grid.active_points;
    a.crosses_region = on_grid.active_points > 0 && on_grid.active_points < on_grid.points;
    pane.neuron_activity = a;
  }
  const NeuronActivity& a = pane.neuron_activity;
  char name[32];
  std::snprintf(name, sizeof name, "Neuron %d.%d", layer, unit);
  char on_data[96] = "";
  if (a.points > 0)
    std::snprintf(on_data, sizeof on_data, "%d of %d training points", a.active_points, a.points);
  std::string note;
  if (a.region_area <= 0) {
    note.clear();
  } else if (a.crosses_region) {
    char text[200];
    std::snprintf(text, sizeof text, "%s: its zero set crosses the view; active (h > 0) on %.0f%% "
                  "of the view%s%s.", name, 100.0 * a.active_area / a.region_area,
                  a.points > 0 ? " and on " : "", on_data);
    note = text;
    if (!pane.neuron_exact) note += " The view has too many tiles to draw it exactly: zoom in.";
  } else if (a.active_area <= 0) {
    note = std::string(name) + " is inactive (h < 0) on the whole view, so there is no line to draw";
    if (a.points > 0 && a.active_points == 0)
      note += ", and on every training point: a dead neuron.";
    else if (a.points > 0)
      note += std::string(": its zero set lies outside the view (active on ") + on_data +
              "; F fits the data).";
    else
      note += ".";
  } else {
    note = std::string(name) + " is active (h > 0) on the whole view: its zero set lies outside it";
    if (a.points > 0 && a.active_points == a.points)
      note += ", and it is active on every training point too (a linear unit on this data).";
    else if (a.points > 0)
      note += std::string(" (active on ") + on_data + "; F fits the data).";
    else
      note += ".";
  }
  pane.neuron_note = note;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Drawing
// -----------------------------------------------------------------------------------------------

void upload_points(Pane& pane) {
  const Split& data = pane.session->data();
  std::vector<float> points;
  const bool regression = data.train.is_regression();
  // Placed points are the last ones of the training set (Session::rebuild_data).
  const Eigen::Index first_placed = data.train.size() - pane.session->user_points().size();
  // On the line a point is drawn at (x, target), or on the x axis for a class (curve_view.h).
  const bool line = data.train.dim() == 1;
  auto add = [&](const Dataset& d, float kind, Eigen::Index placed_from) {
    for (Eigen::Index j = 0; j < d.size(); ++j) {
      const double value = regression ? d.targets(j) : d.labels(j);
      const double y = !line ? d.X(1, j) : regression ? d.targets(j) : 0.0;
      points.insert(points.end(), {static_cast<float>(d.X(0, j)), static_cast<float>(y),
                                   static_cast<float>(value), j >= placed_from ? kPlacedPoint : kind});
    }
  };
  // Image data: the images lie off the plane; its three are drawn as stars (slice_view.h).
  const bool drawn = pane.show_points && !pane.plane.on();
  if (drawn) add(data.train, kTrainPoint, first_placed);
  if (drawn && pane.show_test) add(data.test, kTestPoint, data.test.size());
  pane.renderer.set_points(points, regression);
  pane.points_dirty = false;
  ++pane.points_generation;
}


void prepare_plane(Pane& pane, bool playing) {
  if (shows_curve(pane)) { // the curve is drawn with the interface; the points as in the plane
    pane.weights_dirty = false;
    if (pane.points_dirty) upload_points(pane);
    return;
  }
  update_colour_scales(pane, pane.weights_dirty, playing);
  if (pane.renderer.background_compile_finished()) pane.weights_dirty = true; // take the new shader
  if (pane.weights_dirty) {
    pane.renderer.set_network(pane.shown_network());
    pane.weights_dirty = false;
  }
  if (pane.points_dirty) upload_points(pane);
}

void draw_plane_tiles(Pane& pane, const Canvas& canvas, bool playing) {
  if (shows_curve(pane)) { // the background and the pieces' bands under the curve (curve_view.h)
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(canvas.pixel_x, canvas.pixel_y, canvas.pixel_width, canvas.pixel_height);
    const float* background = background_rgb(pane.style);
    glEnable(GL_SCISSOR_TEST);
    glScissor(canvas.pixel_x, canvas.pixel_y, canvas.pixel_width, canvas.pixel_height);
    glClearColor(background[0], background[1], background[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    // One scissored clear a band: a software renderer fills them as fast as memory, where blended
    // rectangles over the whole canvas cost it a third of its frame.
    for (const CurveBand& band : curve_bands(pane, pane.curve, pane.view, canvas.pixel_width)) {
      glScissor(canvas.pixel_x + band.x0, canvas.pixel_y, band.x1 - band.x0, canvas.pixel_height);
      glClearColor(band.rgb.r, band.rgb.g, band.rgb.b, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
    }
    glDisable(GL_SCISSOR_TEST);
    return;
  }
  if (shows_exact_tiles(pane) && pane.tess.ok()) {
    if (!pane.tess_uploaded && pane.defer_upload) {
      pane.defer_upload = false; // this frame draws the previous polygons; the next uploads
      pane.upload_pending = true;
    } else if (!pane.tess_uploaded) {
      pane.renderer.set_tiles(pane.tess, pane.style);
      pane.tess_uploaded = pane.tiles_drawn = true;
      pane.upload_pending = false;
    }
    pane.renderer.draw_exact(pane.view, canvas.pixel_width, canvas.pixel_height, pane.style);
  } else {
    pane.defer_upload = pane.upload_pending = false; // no polygons to upload
    // Per-pixel codes. While training the image changes every frame: render it at a resolution
    // that keeps the frame rate up (software renderers evaluate every pixel on the CPU).
    if (pane.renderer.draw(pane.view, canvas.pixel_width, canvas.pixel_height, canvas.pixel_ratio,
                           pane.style, playing ? pane.training_resolution : 1.0f,
                           pane.pixel_budget_scale))
      ++pane.pixel_passes;
  }
  pane.renderer.end_frame();
}

void draw_plane_points(Pane& pane, const Canvas& canvas) {
  if (!pane.show_points) return;
  pane.renderer.draw_points(pane.view, canvas.pixel_width, canvas.pixel_height, canvas.pixel_ratio,
                            point_radius_px(pane.renderer.point_count()));
}

} // namespace splinescope
