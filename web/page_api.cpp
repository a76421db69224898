// page_api.cpp - functions the page calls through window.splinescope (see web/shell/page.js): state
// for tests and host pages, commands, and loading settings or networks as JSON.
#include "page_api.h"

#include "colouring.h"
#include "compare.h"
#include "curve_view.h"
#include "image_data.h"
#include "image_loader.h"
#include "lessons.h"
#include "serialize.h"
#include "slice_view.h"
#include "type.h"
#include "training/worker_link.h"
#include "view3d.h"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

using namespace splinescope;

namespace {
std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A JSON string literal.
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string describe(const Network& net) {
  std::string s = std::to_string(net.input_dim);
  for (int l = 0; l < net.hidden_layers(); ++l) s += " -> " + std::to_string(net.layers[l].width());
  s += " -> " + std::to_string(net.outputs());
  if (net.hidden_layers() > 0) s += std::string(" ") + to_string(net.layers[0].activation);
  return s;
}
// Names of the ImGui windows drawn in the last frame (tooltips and child windows left out).
std::string visible_windows() {
  std::string out;
  const ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g) return out;
  for (const ImGuiWindow* w : g->Windows) {
    if (!w->WasActive || (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip)))
      continue;
    out += (out.empty() ? "" : ",") + quote(w->Name);
  }
  return out;
}

// Where each of those windows was drawn: {"name": [x, y, width, height], ...} in CSS pixels.
std::string window_layout() {
  std::string out;
  const ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g) return "{}";
  for (const ImGuiWindow* w : g->Windows) {
    if (!w->WasActive || (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip)))
      continue;
    out += (out.empty() ? "" : ",") + quote(w->Name) + ":[" + number(w->Pos.x) + "," +
           number(w->Pos.y) + "," + number(w->Size.x) + "," + number(w->Size.y) + "]";
  }
  return "{" + out + "}";
}

// The inspector: the tooltip switch, the pinned window, the pinned point with f(x) and its tile,
// and where the last frame drew the neuron grid (CSS pixels: each hidden layer's first cell, the
// pitch and cells per row; cell k of a layer is at row k / per_row, column k % per_row).
std::string inspector_json() {
  std::string j = "{\"tooltip\":" + std::string(app.show_inspector ? "true" : "false");
  j += ",\"open\":" + std::string(app.inspector_open ? "true" : "false");
  j += ",\"pinned\":" + std::string(app.inspector_pinned ? "true" : "false");
  j += ",\"point\":[" + number(app.pin_x) + "," + number(app.pin_y) + "]";
  j += ",\"outputs\":[";
  if (app.inspector_pinned && shown_network().input_dim == 2) {
    Eigen::MatrixXd X(2, 1); // (2, 1)
    X << app.pin_x, app.pin_y;
    const Eigen::MatrixXd f = forward(shown_network(), X); // (C, 1)
    for (Eigen::Index c = 0; c < f.rows(); ++c) j += (c ? "," : "") + number(f(c, 0));
  }
  j += "],\"tile\":";
  const int t = app.inspector_pinned && app.pane().locator
                    ? app.pane().locator->locate(Eigen::Vector2d(app.pin_x, app.pin_y))
                    : -1;
  j += t < 0 ? std::string("null")
             : "{\"index\":" + std::to_string(t) + ",\"area\":" + number(app.pane().tess.tiles[t].area) +
                   ",\"corners\":" + std::to_string(app.pane().tess.tiles[t].corner_count) + "}";
  j += ",\"grid\":{\"pitch\":" + number(app.inspector_pitch) +
       ",\"per_row\":" + std::to_string(app.inspector_per_row) + ",\"rows\":[";
  for (std::size_t l = 0; l < app.inspector_rows.size(); ++l)
    j += (l ? ",[" : "[") + number(app.inspector_rows[l].first) + "," +
         number(app.inspector_rows[l].second) + "]";
  return j + "]}}";
}

// A network of one input: its exact pieces over the view's x range, and their knots
// ([x, layer, unit], layer 1-based as the highlight), or null for a network of two inputs.
std::string curve_json() {
  const Pane& pane = app.pane();
  if (!shows_curve(pane)) return "null";
  const Tessellation1d& c = pane.curve;
  std::string j = "{\"ok\":" + std::string(c.ok() ? "true" : "false") +
                  ",\"window\":[" + number(c.t0) + "," + number(c.t1) + "]" +
                  ",\"pieces\":" + std::to_string(c.piece_count()) + ",\"knots\":[";
  for (std::size_t i = 0; i < c.knots.size(); ++i)
    j += (i ? ",[" : "[") + number(c.knots[i].t) + "," + std::to_string(c.knots[i].layer + 1) + "," +
         std::to_string(c.knots[i].neuron) + "]";
  return j + "]}";
}

// Compare mode's panes (null for one pane): each one's settings, where it draws (CSS px), its
// steps, figures and view.
std::string compare_json() {
  if (app.panes.size() < 2) return "null";
  std::string j = "{\"panes\":[";
  for (std::size_t i = 0; i < app.panes.size(); ++i) {
    const Pane& pane = *app.panes[i];
    const Session& s = *pane.session;
    const Canvas& c = pane.canvas;
    const ImU32 colour = pane_colour(static_cast<int>(i), app.light());
    std::pair<double, double> last_lc{NAN, NAN}; // the latest local complexity recorded
    for (const HistoryPoint& h : s.history().items())
      if (std::isfinite(h.lc_train) && std::isfinite(h.lc_boundary)) last_lc = {h.lc_train, h.lc_boundary};
    j += (i ? "," : "") + std::string("{\"letter\":") + quote(pane_letter(static_cast<int>(i))) +
         ",\"settings\":" + quote(pane.settings) +
         ",\"colour\":[" + std::to_string(colour & 0xFF) + "," + std::to_string((colour >> 8) & 0xFF) + "," +
         std::to_string((colour >> 16) & 0xFF) + "]" +
         ",\"rect\":[" + std::to_string(c.css_x) + "," + std::to_string(c.css_y) + "," +
         std::to_string(c.css_width) + "," + std::to_string(c.css_height) + "]" +
         ",\"steps\":" + std::to_string(s.steps()) + ",\"shown_step\":" + std::to_string(pane.shown_step()) +
         ",\"tiles\":" + std::to_string(pane.grid_tiles) + ",\"grid_size\":" + std::to_string(pane.grid_size) +
         ",\"tiles_exact\":" + (pane.tess.ok() ? "true" : "false") +
         ",\"train_loss\":" + number(s.train_metrics().loss) + ",\"test_loss\":" + number(s.test_metrics().loss) +
         ",\"test_accuracy\":" + number(s.test_metrics().accuracy) +
         ",\"history\":" + std::to_string(s.history().items().size()) +
         ",\"parameters\":" + std::to_string(parameter_count(s.network())) +
         ",\"lc_train\":" + number(last_lc.first) + ",\"lc_boundary\":" + number(last_lc.second) +
         ",\"architecture\":" + quote(describe(s.network())) +
         ",\"session\":" + session_to_json(s.config()) +
         ",\"view\":[" + number(pane.view.x0) + "," + number(pane.view.x1) + "," + number(pane.view.y0) + "," +
         number(pane.view.y1) + "]}";
  }
  return j + "],\"training\":\"page\"}";
}

// The network graph as last drawn: each node's column, unit, rectangle (CSS px) and whether it is
// lit, the links drawn of all, what is hovered, the probed point and its code, the pictures.
std::string graph_json() {
  const NetworkGraph& g = app.graph;
  std::string j = "{\"open\":" + std::string(!g.nodes.empty() ? "true" : "false");
  j += ",\"pitch\":" + number(g.pitch) + ",\"nodes\":[";
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    j += (i ? ",[" : "[") + std::to_string(n.layer) + "," + std::to_string(n.unit) + "," +
         number(n.rect[0]) + "," + number(n.rect[1]) + "," + number(n.rect[2]) + "," +
         number(n.rect[3]) + "," + (n.lit ? "true" : "false") + "]";
  }
  j += "],\"links\":{\"drawn\":" + std::to_string(g.links.size()) +
       ",\"total\":" + std::to_string(g.links_total) +
       ",\"refreshes\":" + std::to_string(g.links_refreshes) + ",\"refresh_ms\":" + number(g.links_ms) + "}";
  j += ",\"hovered\":" + (g.hovered < 0 ? std::string("null")
                                          : "[" + std::to_string(g.nodes[g.hovered].layer) + "," +
                                                std::to_string(g.nodes[g.hovered].unit) + "]");
  if (g.hovered_link >= 0) {
    const GraphLink& l = g.links[g.hovered_link];
    j += ",\"hovered_link\":{\"layer\":" + std::to_string(l.layer) + ",\"from\":" +
         std::to_string(l.from) + ",\"to\":" + std::to_string(l.to) + ",\"weight\":" +
         number(l.weight) + ",\"a\":[" + number(l.a.x) + "," + number(l.a.y) + "],\"b\":[" +
         number(l.b.x) + "," + number(l.b.y) + "]}";
  } else {
    j += ",\"hovered_link\":null";
  }
  j += ",\"probe\":" + (g.probed ? "[" + number(g.probe.x()) + "," + number(g.probe.y()) + "]"
                                   : std::string("null"));
  j += ",\"probe_pinned\":" + std::string(g.probe_pinned ? "true" : "false");
  j += ",\"code\":" + quote(g.probe_code);
  j += ",\"preview\":[" + std::to_string(app.pane().preview_layer) + "," +
       std::to_string(app.pane().preview_unit) + "]";
  j += ",\"selection\":" + quote(g.selection);
  j += ",\"pictures\":{\"shown\":" + std::string(g.pictures_shown ? "true" : "false") +
       ",\"side\":" + std::to_string(g.pictures.side) +
       ",\"exact_lines\":" + std::to_string(g.pictures.exact_lines) +
       ",\"refreshes\":" + std::to_string(g.refreshes) +
       ",\"refresh_ms\":" + number(g.refresh_ms) + "}";
  return j + "}";
}

// The image data's loading: {dataset, loading, received, total, error, ms}.
std::string image_state_json() {
  const ImageLoad& load = image_load();
  return "{\"dataset\":" + quote(load.dataset) + ",\"loading\":" + (load.loading ? "true" : "false") +
         ",\"received\":" + number(load.received) + ",\"total\":" + number(load.total) +
         ",\"error\":" + quote(load.error) + ",\"ms\":" +
         number(load.finished_ms > 0 ? load.finished_ms - load.started_ms : NAN) + "}";
}

// The plane through three images, or null: the images (published training indices and
// classes), where their stars are (CSS pixels), and the image the inspector last drew.
std::string image_plane_json(const Pane& pane) {
  const ImageSplit* images = pane_images(pane);
  if (!images || !pane.plane.on()) return "null";
  const std::array<long, 3> indices = plane_image_indices(pane);
  std::string j = "{\"images\":[" + std::to_string(indices[0]) + "," + std::to_string(indices[1]) + "," +
                  std::to_string(indices[2]) + "],\"classes\":[";
  for (int k = 0; k < 3; ++k)
    j += (k ? "," : "") + std::to_string(images->train.labels[pane.plane.images[k]]);
  j += "],\"stars\":[";
  const Canvas& c = pane.canvas;
  for (int k = 0; k < 3; ++k)
    j += std::string(k ? "," : "") + "[" +
         number(c.css_x + (pane.plane.anchors(0, k) - pane.view.x0) / pane.view.width() * c.css_width) + "," +
         number(c.css_y + (pane.view.y1 - pane.plane.anchors(1, k)) / pane.view.height() * c.css_height) + "]";
  j += "],\"anchors\":[";
  for (int k = 0; k < 3; ++k)
    j += std::string(k ? "," : "") + "[" + number(pane.plane.anchors(0, k)) + "," + number(pane.plane.anchors(1, k)) + "]";
  j += "],\"orthonormal\":" + std::string(pane.plane.slice_orthonormal ? "true" : "false");
  j += ",\"means\":["; // each image's mean pixel, in [0, 1]
  for (int k = 0; k < 3; ++k)
    j += std::string(k ? "," : "") + number(pane.session->data().train.X.col(pane.plane.images[k]).mean());
  const PlanePointShown& shown = last_plane_point();
  j += "],\"generation\":" + std::to_string(pane.plane.generation) +
       ",\"inputs\":" + std::to_string(pane.unsliced_network().input_dim) +
       ",\"shown_inputs\":" + std::to_string(pane.shown_network().input_dim) +
       ",\"hover\":{\"draws\":" + std::to_string(shown.draws) + ",\"u\":" + number(shown.u) +
       ",\"w\":" + number(shown.w) + ",\"mean_pixel\":" + number(shown.mean_pixel) +
       ",\"top_class\":" + std::to_string(shown.top_class) + ",\"probability\":" +
       number(shown.probability) + "}}";
  return j;
}

} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* ss_state_json() {
  return guarded_text([] {
    const Session& s = *app.pane().session;
    std::string j = "{";
    j += "\"step\":" + std::to_string(s.steps());
    j += ",\"epoch\":" + std::to_string(s.epochs());
    j += ",\"playing\":" + std::string(app.playing ? "true" : "false");
    j += ",\"diverged\":" + std::string(s.diverged() ? "true" : "false");
    j += ",\"divergence_message\":" + quote(s.diverged() ? s.divergence_message() : "");
    j += ",\"notice\":" + quote(app.notice);
    j += ",\"train_loss\":" + number(s.train_metrics().loss);
    j += ",\"test_loss\":" + number(s.test_metrics().loss);
    j += ",\"train_accuracy\":" + number(s.train_metrics().accuracy);
    j += ",\"test_accuracy\":" + number(s.test_metrics().accuracy);
    // Points the losses and accuracies were computed over (fewer than the set while training on
    // large data: a moving sample; paused, the exact values are added up over a few frames).
    j += ",\"metric_points\":[" + std::to_string(s.train_metrics().n) + "," +
         std::to_string(s.test_metrics().n) + "]";
    j += ",\"train_points\":" + std::to_string(s.data().train.size());
    j += ",\"test_points\":" + std::to_string(s.data().test.size());
    j += ",\"user_points\":" + std::to_string(s.user_points().size());
    j += ",\"undoable_point_edits\":" + std::to_string(s.undoable_point_edits());
    j += ",\"grid_tiles\":" + std::to_string(app.pane().grid_tiles);
    j += ",\"grid_size\":" + std::to_string(app.pane().grid_size);
    j += ",\"point_radius\":" + number(point_radius_px(app.pane().renderer.point_count()));
    // The per-pixel picture: the share refined to full resolution, and the frame budget's scale.
    j += ",\"pixels_refined\":" + number(app.pane().renderer.refined());
    j += ",\"pixel_budget_scale\":" + number(app.pane().pixel_budget_scale);
    j += ",\"tile_shader\":" + quote(app.pane().renderer.tile_shader());
    j += ",\"tiles\":" + std::to_string(app.pane().grid_tiles);
    // The interface's type: the atlas is made for the screen's device pixel ratio (type.h).
    const TypeFigures& type = type_figures();
    j += ",\"type\":{\"pixel_ratio\":" + number(type.pixel_ratio) + ",\"ui_scale\":" +
         number(type.ui_scale) + ",\"size_css\":" + number(type.size_css) + ",\"size_px\":" +
         number(type.size_px) + ",\"atlas\":[" + std::to_string(type.atlas_width) + "," +
         std::to_string(type.atlas_height) + "],\"builds\":" + std::to_string(type.builds) +
         ",\"touch\":" + (type.touch ? "true" : "false") + ",\"glyphs\":" + std::to_string(type.glyphs) +
         ",\"greek\":" + (type.greek ? "true" : "false") +
         ",\"frame_height\":" + number(type.frame_height) + "}";
    // The layout of the panels (layout.h): wide, or narrow with its bar and at most one sheet open.
    j += ",\"layout_mode\":" + quote(narrow_layout() ? "narrow" : "wide");
    j += ",\"sheet\":" + quote(app.sheet == Sheet::settings ? "settings" : app.sheet == Sheet::charts ? "charts" : "none");
    j += ",\"tiles_exact\":" + std::string(app.pane().tess.ok() || (shows_curve(app.pane()) && app.pane().curve.ok()) ? "true" : "false");
    j += ",\"curve\":" + curve_json();
    j += ",\"render_exact\":" + std::string(app.pane().render_exact ? "true" : "false");
    j += ",\"batch_view\":{\"on\":" + std::string(app.pane().batch_statistics ? "true" : "false") +
         ",\"drawn\":" + (app.pane().batch_network.layers.empty() ? "false" : "true") +
         ",\"draws\":" + std::to_string(app.pane().batch_draws) +
         ",\"jitter\":" + number(app.pane().batch_jitter) + "}";
    j += ",\"images\":" + image_state_json();
    j += ",\"image_plane\":" + image_plane_json(app.pane());
    j += ",\"replay\":" + std::to_string(app.pane().replay);
    j += ",\"shown_step\":" + std::to_string(shown_step());
    j += ",\"shown_train_loss\":" + number(app.pane().replay >= 0 ? app.pane().replay_train.loss : s.train_metrics().loss);
    j += ",\"snapshots\":" + std::to_string(app.pane().session->timeline().items().size());
    j += ",\"steps_per_second\":" + number(app.steps_per_second);
    j += ",\"pace\":" + number(app.pace); // steps per second, 0: as fast as possible
    j += ",\"theme\":" + quote(to_string(app.theme)) + ",\"light\":" + (app.light() ? "true" : "false");
    j += ",\"reduced_motion\":" + std::string(app.reduced_motion ? "true" : "false");
    j += ",\"autoplay_held\":" + std::string(app.autoplay_held ? "true" : "false");
    // Keyboard navigation of the panels: the window it is in and whether its highlight shows.
    {
      const ImGuiContext& g = *ImGui::GetCurrentContext();
      j += ",\"keyboard\":{\"window\":" + quote(g.NavWindow ? g.NavWindow->Name : "") +
           ",\"visible\":" + (ImGui::GetIO().NavVisible ? "true" : "false") + ",\"captured\":" +
           (keys_for_panels() ? "true" : "false") + "}";
    }
    j += ",\"fps\":" + number(app.fps);
    j += ",\"frames\":" + std::to_string(app.frames);
    j += ",\"architecture\":" + quote(describe(s.network()));
    j += ",\"code_layers\":" + std::to_string(app.pane().style.code_layers);
    j += ",\"color_mode\":" + quote(to_string(app.pane().style.color_mode));
    j += ",\"edges\":" + std::string(app.pane().style.edge_width > 0 ? "true" : "false");
    j += ",\"edge_color\":" + quote(to_string(app.pane().style.edge_colour));
    j += ",\"highlight\":[" + std::to_string(app.pane().highlight_layer) + "," +
         std::to_string(app.pane().highlight_unit) + "]";
    const NeuronActivity& na = app.pane().neuron_activity;
    j += ",\"neuron_note\":" + quote(app.pane().neuron_note);
    j += ",\"neuron_activity\":{\"crosses_view\":" + std::string(na.crosses_region ? "true" : "false") +
         ",\"active_fraction\":" + number(na.region_area > 0 ? na.active_area / na.region_area : 0) +
         ",\"exact\":" + (app.pane().neuron_exact ? "true" : "false") +
         ",\"points\":" + std::to_string(na.points) +
         ",\"active_points\":" + std::to_string(na.active_points) + "}";
    j += ",\"output_index\":" + std::to_string(app.pane().style.output_index);
    j += ",\"view_3d\":" + std::string(app.pane().view_3d ? "true" : "false");
    j += ",\"surface\":" + quote(!app.pane().view_3d ? "" : view_3d_exact(app.pane()) ? "exact" : "grid");
    j += ",\"surface_points\":" + std::to_string(app.pane().view_3d ? view_3d_points(app.pane()) : 0);
    j += ",\"orbit\":[" + number(app.pane().orbit_yaw) + "," + number(app.pane().orbit_pitch) + "," +
         number(app.pane().orbit_distance) + "]";
    j += ",\"view\":[" + number(app.pane().view.x0) + "," + number(app.pane().view.x1) + "," +
         number(app.pane().view.y0) + "," + number(app.pane().view.y1) + "]";
    j += ",\"view_fitted\":" + std::string(app.pane().view_fitted ? "true" : "false");
    j += ",\"canvas\":[" + std::to_string(app.css_width) + "," + std::to_string(app.css_height) +
         "]";
    j += ",\"pixels\":[" + std::to_string(app.pixel_width) + "," +
         std::to_string(app.pixel_height) + "]";
    j += ",\"gl_version\":" + quote(reinterpret_cast<const char*>(glGetString(GL_VERSION)));
    j += ",\"session\":" + session_to_json(s.config());
    j += ",\"url_state\":" + quote(encode_page_state(capture_page_state()));
    j += ",\"url_notes\":[";
    for (std::size_t i = 0; i < app.url_notes.size(); ++i)
      j += (i ? "," : "") + quote(app.url_notes[i]);
    j += "],\"embed\":" + std::string(app.embed ? "true" : "false");
    j += ",\"caption\":" + quote(app.caption);
    j += ",\"lesson\":" + quote(app.lesson);
    {
      const ClaimReading claim = lesson_claim();
      j += ",\"lesson_claim\":" +
           (!claim.measured ? std::string("null")
                            : "{\"statement\":" + quote(claim.statement) + ",\"measurement\":" +
                                  quote(claim.measurement) + ",\"holds\":" + (claim.holds ? "true" : "false") + "}");
    }
    j += ",\"windows\":[" + visible_windows() + "]";
    j += ",\"layout\":" + window_layout();
    j += ",\"charts\":[";
    for (std::size_t i = 0; i < app.charts_drawn.size(); ++i)
      j += (i ? "," : "") + quote(app.charts_drawn[i]);
    j += "],\"charts_log\":" + std::string(app.charts_log ? "true" : "false");
    j += ",\"charts_loss_label\":" + quote(app.charts_loss_label);
    j += ",\"dataset_thumbnails\":{";
    for (std::size_t i = 0; i < app.dataset_thumbnail_rects.size(); ++i) {
      const auto& [name, r] = app.dataset_thumbnail_rects[i];
      j += (i ? "," : "") + quote(name) + ":[" + number(r[0]) + "," + number(r[1]) + "," +
           number(r[2]) + "," + number(r[3]) + "]";
    }
    j += "}";
    j += ",\"chart_rects\":{";
    for (std::size_t i = 0; i < app.charts_drawn.size() && i < app.chart_rects.size(); ++i) {
      const std::array<float, 4>& r = app.chart_rects[i];
      j += (i ? "," : "") + quote(app.charts_drawn[i]) + ":[" + number(r[0]) + "," + number(r[1]) + "," +
           number(r[2]) + "," + number(r[3]) + "]";
    }
    j += "}";
    j += ",\"inspector\":" + inspector_json();
    j += ",\"graph\":" + graph_json();
    j += ",\"compare\":" + compare_json();
    // Where training runs: "worker", "page" (with the reason) or "starting" (the page trains
    // until the worker is ready), and the worker's wasm memory.
    const WorkerLink& link = worker_link();
    j += ",\"training\":{\"thread\":" + quote(to_string(link.thread())) +
         ",\"reason\":" + quote(link.reason()) +
         ",\"worker_memory\":" + number(link.worker_memory_bytes()) + "}";
    j += ",\"timing\":{\"frame_ms\":" + number(app.frame_ms) +
         ",\"train_ms\":" + number(app.timing.train_ms) +
         ",\"geometry_ms\":" + number(app.timing.geometry_ms) +
         ",\"panels_ms\":" + number(app.timing.panels_ms) +
         ",\"tiles_ms\":" + number(app.timing.tiles_ms) +
         ",\"points_ms\":" + number(app.timing.points_ms) +
         ",\"ui_ms\":" + number(app.timing.ui_ms) + "}";
    j += "}";
    return keep(j);
  });
}

EMSCRIPTEN_KEEPALIVE void ss_play(int playing) {
  set_playing(playing != 0);
}

// Trains `steps` more steps through the frame loop's budget, then pauses.
EMSCRIPTEN_KEEPALIVE void ss_run(int steps) {
  app.run_until = app.pane().session->steps() + std::max(0, steps);
  set_playing(true);
}

EMSCRIPTEN_KEEPALIVE void ss_step(int steps) {
  guarded([=] { train_steps(std::max(0, std::min(steps, 100000))); });
}

// Trains in the page's frames from now on (the worker is stopped): for comparisons.
EMSCRIPTEN_KEEPALIVE void ss_train_in_page() { worker_link().use_page("the page asked to train in its frames"); }

EMSCRIPTEN_KEEPALIVE void ss_reset() {
  reset_run();
}

EMSCRIPTEN_KEEPALIVE void ss_new_network(int seed) {
  guarded([=] {
    SessionConfig next = page_settings();
    next.seed = static_cast<std::uint64_t>(std::max(0, seed));
    apply_settings(next);
    reset_run();
    on_data_changed();
  });
}

// Applies a session JSON document (missing fields take defaults). Returns "" or the error.
EMSCRIPTEN_KEEPALIVE const char* ss_apply_session(const char* json) {
  return guarded_text([=] {
    const LoadResult<SessionDocument> doc = session_from_json(json ? json : "");
    if (!doc.ok()) return keep(doc.error);
    const std::string refused = app.pane().session->apply(doc.value.config);
    if (!refused.empty()) return keep(refused);
    app.pending = page_settings();
    if (doc.value.weights) {
      const std::string e = app.pane().session->load_network(*doc.value.weights);
      if (!e.empty()) return keep(e);
    }
    on_network_changed();
    on_data_changed();
    return keep("");
  });
}

// Loads a network JSON document with the current data. Returns "" or the error.
EMSCRIPTEN_KEEPALIVE const char* ss_load_network(const char* json) {
  return guarded_text([=] {
    const LoadResult<Network> net = network_from_json(json ? json : "");
    if (!net.ok()) return keep(net.error);
    const std::string e = app.pane().session->load_network(net.value);
    if (!e.empty()) return keep(e);
    app.pending = page_settings();
    app.playing = false;
    on_network_changed();
    return keep("");
  });
}

// The settings and the current weights as one session document.
EMSCRIPTEN_KEEPALIVE const char* ss_session_json() {
  return guarded_text([] {
    return keep(session_to_json(app.pane().session->config(), &app.pane().session->network()));
  });
}

// Points placed by hand, as CSV; and their replacement from CSV ("" or the error, naming the line).
EMSCRIPTEN_KEEPALIVE const char* ss_points_csv() {
  return guarded_text([] { return keep(app.pane().session->user_points().to_csv()); });
}
EMSCRIPTEN_KEEPALIVE const char* ss_import_points(const char* csv) {
  return guarded_text([=] {
    const CsvResult r = app.pane().session->import_points(csv ? csv : "");
    if (r.ok) on_data_changed();
    return keep(r.ok ? "" : r.error);
  });
}

// Opens a lesson as the Lessons window does (Back returns to the previous setup): 1, or 0 for an
// unknown id.
EMSCRIPTEN_KEEPALIVE int ss_open_lesson(const char* id) {
  int opened = 0;
  guarded([&] { opened = open_lesson(id ? id : "") ? 1 : 0; });
  return opened;
}

// The Data section's "Clear placed points" and "Undo point edit" (Ctrl+Z): 1 when done.
EMSCRIPTEN_KEEPALIVE int ss_clear_points() { return clear_placed_points() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE int ss_undo_points() { return undo_point_edit() ? 1 : 0; }

EMSCRIPTEN_KEEPALIVE void ss_notify(const char* text) { notify(text ? text : ""); }

EMSCRIPTEN_KEEPALIVE const char* ss_network_json() {
  return keep(network_to_json(app.pane().session->network()));
}

EMSCRIPTEN_KEEPALIVE void ss_set_view(double x0, double x1, double y0, double y1) {
  if (std::isfinite(x0) && std::isfinite(x1) && std::isfinite(y0) && std::isfinite(y1) && x1 > x0 &&
      y1 > y0) {
    app.pane().view = Window{x0, x1, y0, y1};
    app.pane().view_fitted = false;
  }
}

// Draw the zero set of neuron `unit` of hidden layer `layer` (1-based; 0: none).
EMSCRIPTEN_KEEPALIVE void ss_set_highlight(int layer, int unit) {
  app.pane().highlight_layer = std::max(0, layer);
  app.pane().highlight_unit = std::max(0, unit);
}

// Overlays on (1) or off (0): region edges, decision boundary, data points.
EMSCRIPTEN_KEEPALIVE void ss_set_overlays(int edges, int boundary, int points) {
  app.pane().style.edge_width = edges ? 1.0f : 0.0f;
  app.pane().style.boundary_width = boundary ? 2.5f : 0.0f;
  app.pane().show_points = points != 0;
  app.pane().tess_uploaded = false;
  on_data_changed();
}

// Pins the Inspector window on the input-plane point (x, y); on = 0 closes it and unpins.
EMSCRIPTEN_KEEPALIVE void ss_pin_inspector(int on, double x, double y) {
  if (on && std::isfinite(x) && std::isfinite(y)) {
    pin_inspector(x, y);
  } else {
    app.inspector_open = false;
    app.inspector_pinned = false;
  }
}

// Edge colours: 0 mono (translucent dark), 1 by layer (EdgeColour).
EMSCRIPTEN_KEEPALIVE void ss_set_edge_colour(int mode) {
  app.pane().style.edge_colour = mode == 1 ? EdgeColour::layer : EdgeColour::mono;
  app.pane().tess_uploaded = false;
}

// 1: exact tiles drawn as polygons (within the tile budget); 0: per-pixel shader.
EMSCRIPTEN_KEEPALIVE void ss_set_render_exact(int exact) {
  app.pane().render_exact = exact != 0;
  app.pane().tess_uploaded = false;
}

// Show timeline snapshot `index` (-1: the live network).
EMSCRIPTEN_KEEPALIVE void ss_replay(int index) { set_replay(index); }

EMSCRIPTEN_KEEPALIVE void ss_set_code_layers(int layers) {
  app.pane().style.code_layers = layers < 1 ? -1 : layers;
}

// The current state as URL keys ("key=value&..."), the share link and the embed snippet.
EMSCRIPTEN_KEEPALIVE const char* ss_url_state() {
  return guarded_text([] { return keep(encode_page_state(capture_page_state())); });
}
EMSCRIPTEN_KEEPALIVE const char* ss_share_link() {
  return guarded_text([] { return keep(share_link()); });
}
EMSCRIPTEN_KEEPALIVE const char* ss_embed_snippet() {
  return guarded_text([] { return keep(embed_snippet()); });
}

// The lessons gallery: [{"id","title","caption","query"}, ...].
EMSCRIPTEN_KEEPALIVE const char* ss_lessons_json() {
  return guarded_text([] {
    std::string j = "[";
    for (const Lesson& l : lessons())
      j += std::string(j.size() > 1 ? "," : "") + "{\"id\":" + quote(l.id) +
           ",\"title\":" + quote(l.title) + ",\"caption\":" + quote(l.caption) +
           ",\"query\":" + quote(l.query) + "}";
    return keep(j + "]");
  });
}

// Reads an address (query and/or fragment) over the defaults and applies it. Returns the notes
// as a JSON array of strings.
EMSCRIPTEN_KEEPALIVE const char* ss_load_address(const char* text) {
  return guarded_text([=] {
    const std::vector<std::string> notes = load_address(text ? text : "");
    std::string j = "[";
    for (std::size_t i = 0; i < notes.size(); ++i) j += (i ? "," : "") + quote(notes[i]);
    return keep(j + "]");
  });
}

// Tile colours: 0 code hash, 1 gradient norm, 2 output, 3 class blend (ColorMode); `output` is
// the output shown by the gradient and output modes and the 3-D surface (clamped to the network).
EMSCRIPTEN_KEEPALIVE void ss_set_color_mode(int mode, int output) {
  app.pane().style.color_mode = static_cast<ColorMode>(std::clamp(mode, 0, 3));
  app.pane().style.output_index = std::clamp(output, 0, std::max(0, shown_network().outputs() - 1));
}

// The 3-D view on (1) or off (0), seen from the orbit angles yaw and pitch (radians; NaN keeps the
// current angle).
EMSCRIPTEN_KEEPALIVE void ss_set_view_3d(int on, double yaw, double pitch) {
  if (std::isfinite(yaw)) app.pane().orbit_yaw = static_cast<float>(yaw);
  if (std::isfinite(pitch)) app.pane().orbit_pitch = static_cast<float>(std::clamp(pitch, 0.05, 1.55));
  switch_view_3d(on != 0);
}

// Renders code hashes on the GPU over the current view at width x height and compares them with
// the engine's CPU reference. Returns {"pixels":N,"mismatches":M,"distinct":D,
// "mismatches_away_from_edges":E} where the last counts mismatching pixels whose 3x3 CPU
// neighbourhood has a single code (so not within a pixel of an edge).
EMSCRIPTEN_KEEPALIVE const char* ss_compare_codes(int width, int height, int code_layers) {
  return guarded_text([=] {
    if (width < 1 || height < 1 || width > 4096 || height > 4096) return keep("{}");
    app.pane().renderer.set_network(app.pane().session->network());
    const Network& net = app.pane().session->network();
    const auto gpu = app.pane().renderer.read_code_hashes(app.pane().view, width, height, code_layers);
    const auto cpu = pixel_code_hashes(net, app.pane().view, width, height, code_layers);
    long mismatches = 0, interior_mismatches = 0;
    std::set<std::uint64_t> distinct;
    for (int j = 0; j < height; ++j) {
      for (int i = 0; i < width; ++i) {
        const std::size_t p = static_cast<std::size_t>(j) * width + i;
        distinct.insert(cpu[p].value());
        if (gpu[p] == cpu[p]) continue;
        ++mismatches;
        bool near_edge = false;
        for (int dj = -1; dj <= 1; ++dj)
          for (int di = -1; di <= 1; ++di) {
            const int ii = std::clamp(i + di, 0, width - 1), jj = std::clamp(j + dj, 0, height - 1);
            near_edge = near_edge || cpu[static_cast<std::size_t>(jj) * width + ii] != cpu[p];
          }
        if (!near_edge) ++interior_mismatches;
      }
    }
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"pixels\":%d,\"mismatches\":%ld,\"mismatches_away_from_edges\":%ld,"
                  "\"distinct\":%zu,\"shader\":\"%s\"}",
                  width * height, mismatches, interior_mismatches, distinct.size(),
                  app.pane().renderer.tile_shader());
    return keep(buf);
  });
}

} // extern "C"
