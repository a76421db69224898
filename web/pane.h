// pane.h - a pane: one session shown on (a part of) the canvas.
//
// A pane holds everything drawn for one network: its session (the page's copy; the training
// worker runs it ahead, see web/training/), the view (the input window, the colour style and
// overlays, the highlighted neuron, the replayed snapshot, the 3-D camera), the exact geometry of
// that view and the picture's own state. The frame loop iterates the panes, and each view
// (web/views/) draws the pane it is given; the panels and the page interface act on the focused
// pane (App::pane()). Compare mode is more panes.
#pragma once

#include "geometry.h"
#include "geometry_1d.h"
#include "random.h"
#include "renderer.h"
#include "session.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

namespace splinescope {

// Where a view draws: the pane's rectangle, in CSS and device pixels. One pane has the whole
// canvas; compare mode's panes each a part: its top left in CSS pixels (ImGui's coordinates), its
// bottom left in device pixels (GL's).
struct Canvas {
  int css_width = 0, css_height = 0;
  int pixel_width = 0, pixel_height = 0;
  float pixel_ratio = 1.0f;
  int css_x = 0, css_y = 0;
  int pixel_x = 0, pixel_y = 0;
  bool contains(float x, float y) const {
    return x >= css_x && y >= css_y && x < css_x + css_width && y < css_y + css_height;
  }
};

// Image data: the view is the plane through three training images a, b, c, x = a + u (b - a) +
// w (c - a) (slice_through(), geometry.h): a at (0, 0), b at (1, 0), c at (0, 1); or the same
// plane in an orthonormal basis (orthonormal_slice_through()). Everything drawn is the network
// restricted to this plane (restrict_to_slice()), a network of two inputs.
struct ImagePlane {
  std::array<int, 3> images{{-1, -1, -1}}; // positions in the training set; -1: no plane
  std::array<long, 3> wanted{{-1, -1, -1}}; // what a link asked for: indices of the published
                                            // training set (-1: the default three)
  // The parameterisation asked for: x = a + u (b - a) + w (c - a) (false), or an orthonormal
  // basis of the same plane (true: lengths and areas as in the input space).
  bool orthonormal = false;
  Slice slice;
  bool slice_orthonormal = false;           // what `slice` is
  Eigen::Matrix<double, 2, 3> anchors;      // (2, 3) a, b, c in plane coordinates
  long generation = 0;                     // counts changes of the plane
  bool on() const { return images[0] >= 0; }
};

struct Pane {
  // Session: data, network, trainer, history and timeline.
  std::unique_ptr<Session> session;
  // Compare mode: what this pane changes in the page's settings ("bn:1", url_state.h), and
  // where it draws (the whole canvas when it is the only pane).
  std::string settings;
  Canvas canvas;

  // View
  Window view;                  // the input window shown
  bool view_fitted = true;      // view follows fit_view() (the address's view=fit) until moved
  TileStyle style;
  bool show_points = true;
  bool show_test = true;
  bool render_exact = true;     // draw exact tiles as polygons while within the tile budget
  int highlight_layer = 0;      // neuron whose bent hyperplane is drawn: layer 1..L (0: none)
  int highlight_unit = 0;
  int preview_layer = 0;        // a neuron drawn the same way while it is hovered (the network
  int preview_unit = 0;         // graph), 0: none
  // Timeline: -1 shows the live network, otherwise snapshot `replay` of the session's timeline,
  // with that snapshot's figures (set_replay).
  int replay = -1;
  Metrics replay_train, replay_test;
  // Batch norm drawn as training sees it (batch_view.h): the live network with the statistics of
  // a training batch drawn every half second (the same batch for new weights in between), and
  // how much of the view's code changed from one batch to the next at the same weights (a
  // running mean; NaN until measured).
  bool batch_statistics = false;
  Network batch_network;        // empty: not drawn
  Eigen::MatrixXd batch_points;  // (2, m) the batch it has the statistics of
  std::int64_t batch_step = -1; // the step its weights are of
  double batch_at = -1e9;       // when its batch was drawn (ms)
  long batch_draws = 0;
  double batch_jitter = NAN;
  Rng batch_rng{12345};
  // Image data: the plane shown (slice_view.h), and a pinned point of it (the inspector's image).
  ImagePlane plane;
  // 3-D view: the surface f(x) (output style.output_index) above the tessellated plane, seen by an
  // orbit camera (angles in radians, distance in view widths).
  bool view_3d = false;
  float orbit_yaw = -1.15f;
  float orbit_pitch = 0.62f;
  float orbit_distance = 2.2f;

  // Geometry: the exact tessellation of the view, refreshed with the tile count (budgeted; beyond
  // the budget the count comes from distinct codes on a grid of grid_size x grid_size).
  Tessellation tess;
  TessellationWorkspace tess_workspace;
  std::unique_ptr<TileLocator> locator;
  Window tess_view;             // the window tess covers
  Contour boundary;             // decision boundary of tess
  // A network of one input: the exact pieces of the view's x range instead (curve_view.h).
  Tessellation1d curve;
  int curve_replay = -1;        // the replayed snapshot the pieces are of
  int grid_tiles = 0;           // the tile count: exact, or distinct codes on the grid
  int grid_size = 0;            // the grid's side (0: the count is exact)
  std::int64_t tiles_counted_at = -1;
  double tess_budget_ms = 0;    // the time budget of the last tessellation
  double tess_failed_at = -1e9; // when a tessellation last ran out of tiles or time (ms)
  double last_geometry_ms = 0;  // how long the last geometry refresh took
  double counted_time = 0;      // when the geometry was last refreshed (ms)
  double complexity_at = -1e9;  // when local complexity was last estimated (ms)
  bool complexity_pending = false; // due, left by an expensive refresh to a frame of its own
  Window moving_view{};         // the view when it last changed, and when (ms)
  double view_moved_at = -1e9;
  // What the highlighted neuron does in the view and on the training points (update_neuron_note),
  // and a sentence saying it when no line can be drawn; empty without a highlight.
  NeuronActivity neuron_activity;
  bool neuron_exact = true;     // activity from the exact tiles (else from a grid of the view)
  std::string neuron_note;
  std::string neuron_key;       // what the note was computed for

  // Picture
  Renderer renderer;
  bool weights_dirty = true;    // upload the weights before drawing
  bool points_dirty = true;     // upload the points before drawing
  bool tess_uploaded = false;   // tess is in the renderer's polygon buffer (or the 3-D mesh)
  bool tiles_drawn = false;     // the polygon buffer holds tiles (of this or an earlier refresh)
  // An expensive refresh while training uploads its polygons in the frame after it, which does
  // not refresh (update_plane_geometry): one frame does not do both.
  bool defer_upload = false, upload_pending = false;
  long points_generation = 0;   // counts uploads of the points (the 3-D view redraws)
  float training_resolution = 0.5f; // tile image scale while training, adapted to the frame rate
  double pixel_budget_scale = 1.0;  // share of kPixelMacBudget per frame, adapted to the frame rate
  int pixel_passes = 0;             // frames that evaluated the per-pixel pass since the last rate
  // What update_colour_scales() last measured the scales for.
  struct {
    bool pending = true;
    Window view{};
    int output = -1;
    double at = -1e9;
  } colour_scales;

  // The network on the pane: the live one, or the replayed snapshot; on image data, that network
  // restricted to the plane (made again when it or the plane changes).
  const Network& shown_network() const {
    const Network& net = unsliced_network();
    if (!plane.on() || net.input_dim != plane.slice.origin.size()) return net;
    const SlicedKey key{&net, session->revision(), plane.generation, batch_draws, batch_step};
    if (!(key == sliced_key_) || sliced_.layers.empty()) {
      sliced_ = restrict_to_slice(net, plane.slice);
      sliced_key_ = key;
    }
    return sliced_;
  }
  // The network on the pane in its own inputs (784 pixels on image data).
  const Network& unsliced_network() const {
    const auto& snapshots = session->timeline().items();
    if (replay >= 0 && replay < static_cast<int>(snapshots.size())) return snapshots[replay].network;
    return batch_network.layers.empty() ? session->network() : batch_network;
  }
  // Its step: the one step figure every panel shows.
  std::int64_t shown_step() const {
    const auto& snapshots = session->timeline().items();
    return replay >= 0 && replay < static_cast<int>(snapshots.size()) ? snapshots[replay].step
                                                                        : session->steps();
  }
  // Canvas coordinates (CSS pixels from the canvas's top left) to the input plane.
  void canvas_to_world(const Canvas& canvas, double px, double py, double* x, double* y) const {
    *x = view.x0 + (px - canvas.css_x) / std::max(1, canvas.css_width) * view.width();
    *y = view.y1 - (py - canvas.css_y) / std::max(1, canvas.css_height) * view.height();
  }

private:
  struct SlicedKey {
    const Network* of = nullptr;
    std::uint64_t revision = 0;
    long plane = -1, batch_draws = -1;
    std::int64_t batch_step = -1;
    bool operator==(const SlicedKey& o) const {
      return of == o.of && revision == o.revision && plane == o.plane &&
             batch_draws == o.batch_draws && batch_step == o.batch_step;
    }
  };
  mutable Network sliced_;
  mutable SlicedKey sliced_key_;
};

} // namespace splinescope
