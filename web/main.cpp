// main.cpp - the SplineScope web app: SDL2 window with a WebGL2 context, the training loop within
// a frame budget, input (pan, zoom, click to add points, keys) and drawing.
//
// Index
//   [SECTION] State changes
//   [SECTION] Input
//   [SECTION] Frame
//   [SECTION] Start-up
#include "app.h"
#include "batch_view.h"
#include "colouring.h"
#include "compare.h"
#include "curve_view.h"
#include "image_data.h"
#include "image_loader.h"
#include "imgui_renderer.h"
#include "plane_view.h"
#include "slice_view.h"
#include "type.h"
#include "worker_link.h"
#include "training_wire.h"
#include "view3d.h"

#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_internal.h> // point_over_panel reads the windows' rectangles
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>

namespace splinescope {

App app;

namespace {
// Training time per frame at speed 1: a share of the frame time, so that a slow renderer (a
// software WebGL2) does not also starve training; bounded to keep input responsive.
constexpr double kTrainShare = 0.4;
// The training worker's share of its time at speed 1 (from speed 2.5 on it trains all the time).
// Not all of it: on a machine with two cores and a software renderer the worker competes with
// the renderer for the CPU; at 40 % of its time the default page draws as many frames as when it
// trained in its frames, and takes as many steps (tests/browser/responsive.test.mjs compares
// them in one run; at 50 % the worker took 35 frames/s of 39).
constexpr double kWorkerShare = 0.4;
constexpr double kReplayMacs = 8e6;       // multiply-adds a set for a replayed snapshot's figures
constexpr double kFrameWorkMs = 45.0; // training and geometry of one frame, together, at most
constexpr double kTrainBudgetMinMs = 8.0, kTrainBudgetMaxMs = 40.0;
constexpr int kMaxStepsPerFrame = 20000;
constexpr double kCompareTrainBudgetMs = 20.0; // compare mode: the panes' training a frame, at most
constexpr double kRefineMacBudget = 4e6; // multiply-adds a paused frame spends on exact metrics
constexpr float kWheelScroll = 2.5f;     // ImGui wheel steps per notch (one step: about 2 lines)
constexpr double kMinFreeWidth = 200;     // CSS pixels of the free part of the canvas to fit the view in
constexpr double kMinFreeWidthNarrow = 140;
// Time between the end of one frame and the start of the next beyond which the page stalled
// (blocked or hidden).
constexpr double kStallMs = 1000.0;
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] State changes
// -----------------------------------------------------------------------------------------------

namespace {
struct PanelRect {
  double x0, y0, x1, y1;
};

// The rectangles (CSS pixels) of the panels a page starts with, as last drawn: the settings
// window, the charts, the network graph and the caption (not windows the user opens later, such as the Inspector or
// the Lessons, which would move the data away from under the cursor). Before the first frame:
// where draw_panels() puts the settings window.
std::vector<PanelRect> panel_rects(double h) {
  std::vector<PanelRect> rects;
  const ImGuiContext* g = ImGui::GetCurrentContext();
  if (g && app.frames > 0) {
    for (const ImGuiWindow* win : g->Windows) {
      if (!win->WasActive || win->Hidden) continue;
      const std::string name = win->Name;
      if (name != "SplineScope" && name != "Charts" && name != "Network graph" && name != "##caption" &&
          name != "##bar")
        continue;
      rects.push_back(PanelRect{win->Pos.x, win->Pos.y, win->Pos.x + win->Size.x,
                                win->Pos.y + win->Size.y});
    }
    return rects;
  }
  const unsigned settings =
      kPanelControls | kPanelData | kPanelNetwork | kPanelOptimizer | kPanelView | kPanelExport;
  if (narrow_layout())
    rects.push_back(PanelRect{0, 0, static_cast<double>(app.css_width), 2.5 * kTouchTarget}); // the bar
  else if (app.panels & settings)
    rects.push_back(PanelRect{12, 12, 342, h - 12});
  return rects;
}
} // namespace

namespace {
// The largest part of a width x height canvas that the panels leave free (CSS px), or the whole
// canvas when that part is too small to show the data.
PanelRect free_rect(double w, double h) {
  // The largest free rectangle, judged by its shorter side (the data's disk must fit), then by
  // its area: candidate sides are the canvas's and the panels' edges, 8 px clear of the panels.
  constexpr double gap = 8;
  std::vector<PanelRect> panels = panel_rects(h);
  std::vector<double> xs{0, w}, ys{0, h};
  for (const PanelRect& p : panels) {
    xs.insert(xs.end(), {std::clamp(p.x0 - gap, 0.0, w), std::clamp(p.x1 + gap, 0.0, w)});
    ys.insert(ys.end(), {std::clamp(p.y0 - gap, 0.0, h), std::clamp(p.y1 + gap, 0.0, h)});
  }
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());
  PanelRect best{0, 0, w, h};
  double best_side = -1, best_area = -1;
  for (std::size_t a = 0; a < xs.size(); ++a)
    for (std::size_t b = a + 1; b < xs.size(); ++b)
      for (std::size_t c = 0; c < ys.size(); ++c)
        for (std::size_t d = c + 1; d < ys.size(); ++d) {
          const PanelRect r{xs[a], ys[c], xs[b], ys[d]};
          const double side = std::min(r.x1 - r.x0, r.y1 - r.y0), area = (r.x1 - r.x0) * (r.y1 - r.y0);
          if (side < best_side || (side == best_side && area <= best_area)) continue;
          bool free = true;
          for (const PanelRect& p : panels)
            free = free && (r.x1 <= p.x0 - gap + 1e-9 || r.x0 >= p.x1 + gap - 1e-9 ||
                            r.y1 <= p.y0 - gap + 1e-9 || r.y0 >= p.y1 + gap - 1e-9);
          if (!free) continue;
          best = r;
          best_side = side;
          best_area = area;
        }
  // Only a free part large enough to show the data; otherwise the whole canvas, as without panels.
  // (A phone's sheet leaves a band above it: smaller, but the data stays in sight.)
  if (best_side < (narrow_layout() ? kMinFreeWidthNarrow : kMinFreeWidth)) best = PanelRect{0, 0, w, h};
  return best;
}
} // namespace

Window fit_view(int width, int height) {
  const double w = std::max(1, width), h = std::max(1, height);
  // The 3-D view places its scene itself (beside the settings panel): the surface is the disk's
  // square region, whatever panels the 2-D canvas would avoid.
  if (app.pane().view_3d) {
    if (app.pane().plane.on()) { // image data: the three images and as much again around them
      const Eigen::Matrix<double, 2, 3>& a = app.pane().plane.anchors;
      const Eigen::Vector2d lo = a.rowwise().minCoeff(), hi = a.rowwise().maxCoeff();
      const Eigen::Vector2d mid = 0.5 * (lo + hi);
      return window_around(mid.x(), mid.y(), 1.2 * std::max(hi.x() - lo.x(), hi.y() - lo.y()), width, height);
    }
    return window_around(0, 0, 3.0, width, height);
  }
  // Compare mode: the panes lie in the free part already; each shows the disk in its own.
  if (app.panes.size() > 1) {
    const Canvas& c = app.pane().canvas;
    if (shows_curve(app.pane()))
      return fit_curve_view(app.pane(), 0, 0, c.css_width, c.css_height, c.css_width, c.css_height);
    return window_around(0, 0, 3.0, c.css_width, c.css_height);
  }
  const PanelRect best = free_rect(w, h);
  if (shows_curve(app.pane())) return fit_curve_view(app.pane(), best.x0, best.y0, best.x1, best.y1, width, height);
  if (app.pane().plane.on()) return plane_view_window(app.pane(), best.x0, best.y0, best.x1, best.y1, width, height);
  const double per_px = 6.0 / std::max(1.0, std::min(best.x1 - best.x0, best.y1 - best.y0));
  const double cx = 0.5 * (best.x0 + best.x1), cy = 0.5 * (best.y0 + best.y1); // the origin
  return Window{-cx * per_px, (w - cx) * per_px, -(h - cy) * per_px, cy * per_px};
}

void fit_the_view() {
  app.pane().view = fit_view(app.css_width, app.css_height);
  app.pane().view_fitted = true;
}

void notify(const std::string& message, double seconds) {
  app.notice = message;
  app.notice_until = emscripten_get_now() + seconds * 1000.0;
}

void on_network_changed() {
  for (auto& pane : app.panes) {
    if (pane->replay >= static_cast<int>(pane->session->timeline().items().size())) pane->replay = -1;
    pane->weights_dirty = true;
    pane->tiles_counted_at = -1; // recount
  }
}
void on_data_changed() {
  for (auto& pane : app.panes) pane->points_dirty = true;
}

const SessionConfig& page_settings() {
  return app.panes.size() > 1 ? app.compare_base : app.pane().session->config();
}

void reset_run() {
  for (auto& pane : app.panes) {
    pane->session->reset();
    pane->replay = -1;
  }
  on_network_changed();
}

bool edit_points(const std::function<bool(Session&)>& edit) {
  bool changed = false;
  for (auto& pane : app.panes) changed = edit(*pane->session) || changed;
  if (changed) on_data_changed();
  return changed;
}

bool clear_placed_points() {
  const int placed = app.pane().session->user_points().size();
  if (!edit_points([](Session& s) { return s.clear_user_points(); })) return false;
  notify("Cleared " + std::to_string(placed) + (placed == 1 ? " placed point" : " placed points") +
             " (Ctrl+Z brings them back).",
         4.0);
  return true;
}

bool undo_point_edit() {
  return edit_points([](Session& s) { return s.undo_point_edit(); });
}


bool point_over_panel(float x, float y) {
  const ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g) return false;
  for (const ImGuiWindow* w : g->Windows) {
    if (!w->WasActive || w->Hidden || (w->Flags & ImGuiWindowFlags_NoMouseInputs)) continue;
    if (w->Rect().Contains(ImVec2(x, y))) return true;
  }
  return false;
}

const Network& shown_network() { return app.pane().shown_network(); }

void set_replay(int index) {
  const int count = static_cast<int>(app.pane().session->timeline().items().size());
  const int next = index < 0 || index >= count ? -1 : index;
  if (next == app.pane().replay) return;
  app.pane().replay = next;
  if (next >= 0) {
    app.playing = false;
    // The figures of the replayed weights, once per scrub, so the panel shows one step's figures:
    // over every point, or over the first within kReplayMacs multiply-adds a set (a scrub is one
    // task; the points come in a random order, so the first are a sample: 300 images of 784
    // pixels at 32-32).
    const Network& net = app.pane().session->timeline().items()[next].network;
    const Split& data = app.pane().session->data();
    const Eigen::Index most = std::max<Eigen::Index>(200, static_cast<Eigen::Index>(kReplayMacs / std::max(1.0, net.multiply_adds())));
    const auto figures = [&](const Dataset& d) {
      if (d.size() == 0) return Metrics{};
      if (d.size() <= most) return evaluate(net, d, app.pane().session->loss());
      Dataset first;
      first.classes = d.classes;
      first.X = d.X.leftCols(most);
      if (d.labels.size()) first.labels = d.labels.head(most);
      if (d.targets.size()) first.targets = d.targets.head(most);
      return evaluate(net, first, app.pane().session->loss());
    };
    app.pane().replay_train = figures(data.train);
    app.pane().replay_test = figures(data.test);
  }
  on_network_changed();
}

std::int64_t shown_step() { return app.pane().shown_step(); }

Canvas whole_canvas() {
  return Canvas{app.css_width, app.css_height, app.pixel_width, app.pixel_height, app.pixel_ratio};
}

void switch_view_3d(bool on) {
  if (on == app.pane().view_3d) return;
  if (on && app.panes.size() > 1) {
    notify("Compare mode shows the panes in the plane: the 3-D view is for one network.");
    return;
  }
  if (on && shows_curve(app.pane())) {
    notify("A network of one input is drawn as its curve: the 3-D view is for two inputs.");
    return;
  }
  set_view_3d(app.pane(), on);
  app.dragging = false;
}

void set_playing(bool playing) {
  for (const auto& pane : app.panes)
    if (playing && pane->session->diverged()) return; // the divergence dialog decides
  if (playing) {
    app.user_played = true; // autoplay never reaches here while reduced motion holds it
    app.autoplay_held = false;
  }
  if (playing && !app.playing) {
    app.frame_steps = 0;
    app.pace_clock.restart();
  }
  if (playing) set_replay(-1);                      // training goes on from the live network
  app.playing = playing;
  app.steps_at_last_rate = app.pane().session->steps();
  app.last_rate_time = emscripten_get_now();
}

void apply_settings(const SessionConfig& next) {
  if (is_image_data(next.data.name) && !provided_images(next.data.name)) {
    // Image data arrives first (a progress bar meanwhile); these settings follow it.
    app.pending = page_settings();
    if (app.panes.size() > 1) {
      notify("Not applied: compare mode does not take image data yet; close it first (One pane).");
      return;
    }
    request_images(next.data.name, [next] { apply_settings(next); });
    return;
  }
  cancel_image_request(); // these settings come after any that waited for images
  if (app.panes.size() > 1 && is_image_data(next.data.name)) {
    notify("Not applied: compare mode does not take image data yet; close it first (One pane).");
    app.pending = page_settings();
    return;
  }
  if (app.panes.size() > 1) { // each pane: the page's settings with its own changes
    const std::vector<std::string> refused = apply_compare_settings(app.panes, next);
    if (!refused.empty()) notify("Not applied: " + refused.front());
    app.compare_base = next;
    app.pending = next;
    app.frame_steps = 0;
    on_network_changed();
    on_data_changed();
    return;
  }
  const ChangeKind kind = classify_change(app.pane().session->config(), next);
  const std::string refused = app.pane().session->apply(next);
  if (!refused.empty()) {
    notify("Not applied: " + refused);
    app.pending = app.pane().session->config();
    return;
  }
  app.pending = app.pane().session->config();
  if (kind == ChangeKind::data) sync_image_plane(app.pane()); // before anything draws the new data
  if (kind == ChangeKind::data || kind == ChangeKind::network) {
    app.pane().replay = -1; // the old timeline is gone
    app.frame_steps = 0;   // a new network's steps cost what they cost
    on_network_changed();
    on_data_changed();
  }
}

void train_steps(int steps) {
  if (steps <= 0) return;
  // Compare mode: every pane the same steps (lock step), one after the other in this frame.
  bool ok = true;
  for (auto& pane : app.panes) ok = pane->session->train(steps).ok && ok;
  on_network_changed();
  if (!ok) {
    app.playing = false;
    app.run_until = -1;
  }
  if (app.run_until >= 0 && app.pane().session->steps() >= app.run_until) {
    app.playing = false;
    app.run_until = -1;
  }
}

void zoom_view(double factor, double x, double y) {
  Window& v = app.pane().view;
  const double w = v.width() * factor, h = v.height() * factor;
  if (w < 1e-4 || w > 1e4) return;
  app.pane().view_fitted = false;
  const double fx = (x - v.x0) / v.width(), fy = (y - v.y0) / v.height();
  v = Window{x - fx * w, x + (1 - fx) * w, y - fy * h, y + (1 - fy) * h};
}

void canvas_to_world(double px, double py, double* x, double* y) {
  // The panes share one view: the point's place in its own pane.
  const int k = std::max(0, pane_at(app.panes, static_cast<float>(px), static_cast<float>(py)));
  app.panes[k]->canvas_to_world(app.panes[k]->canvas, px, py, x, y);
}

// The reader's colour scheme (for theme=auto), read about once a second, and the theme's tile
// colours: a change repaints the tiles.
void follow_theme() {
  static int frames_until_check = 0;
  if (--frames_until_check <= 0) {
    frames_until_check = 60;
    app.prefers_light = EM_ASM_INT({
      return window.matchMedia && window.matchMedia('(prefers-color-scheme: light)').matches ? 1 : 0;
    }) != 0;
  }
  const float wash = app.light() ? kLightThemeWash : 0.0f;
  for (auto& pane : app.panes) {
    if (pane->style.wash == wash && pane->style.light == app.light()) continue;
    pane->style.wash = wash;
    pane->style.light = app.light();
    pane->weights_dirty = true; // repaint
    pane->tess_uploaded = false;
  }
}

// True when a key belongs to the panels: a control is being used (a slider dragged, text typed),
// a modal dialog is open, or the user is moving between controls with the keyboard (the focus
// highlight shows). ImGui's own io.WantCaptureKeyboard is true whenever keyboard navigation is on
// and a panel has focus, which would take the page's keys (Space, S, R, ...) after any click.
bool keys_for_panels() {
  const ImGuiIO& io = ImGui::GetIO();
  return ImGui::IsAnyItemActive() || io.WantTextInput || io.NavVisible ||
         ImGui::GetTopMostPopupModal() != nullptr;
}

namespace {




// -----------------------------------------------------------------------------------------------
// [SECTION] Input
// -----------------------------------------------------------------------------------------------

// mod: the modifiers held with this key (from the event: the current state may be later).
void handle_key(SDL_Keycode key, Uint16 mod) {
  switch (key) {
  case SDLK_SPACE: set_playing(!app.playing); break;
  case SDLK_s: train_steps(1); break;
  case SDLK_z:
    if (mod & (KMOD_CTRL | KMOD_GUI)) undo_point_edit();
    break;
  case SDLK_r: reset_run(); break;
  case SDLK_f: fit_the_view(); break;
  case SDLK_h: app.show_help = !app.show_help; break;
  case SDLK_i: app.show_inspector = !app.show_inspector; break;
  case SDLK_p:
    if (!panel_shown(kPanelInspector)) break;
    if (app.mouse_over_canvas && !app.pane().view_3d && !ImGui::GetIO().WantCaptureMouse) {
      int mx = 0, my = 0;
      SDL_GetMouseState(&mx, &my);
      double x, y;
      canvas_to_world(mx, my, &x, &y);
      pin_inspector(x, y);
    } else {
      app.inspector_open = !app.inspector_open; // over a panel: the window on or off
    }
    break;
  case SDLK_v: switch_view_3d(!app.pane().view_3d); break;
  case SDLK_g:
    if (panel_shown(kPanelGraph)) app.graph_choice = graph_open() ? 0 : 1;
    break;
  default:
    if (key >= SDLK_1 && key <= SDLK_9) {
      const int layer = key - SDLK_0;
      const int hidden = app.pane().session->network().hidden_layers();
      app.pane().style.code_layers = layer >= hidden ? -1 : layer;
    }
    break;
  }
}

void handle_event(const SDL_Event& e) {
  const ImGuiIO& io = ImGui::GetIO();
  if (app.pane().view_3d) { // drag orbits; clicks add no points
    int mx = 0, my = 0;
    SDL_GetMouseState(&mx, &my);
    const float x = e.type == SDL_MOUSEBUTTONDOWN ? e.button.x : static_cast<float>(mx);
    const float y = e.type == SDL_MOUSEBUTTONDOWN ? e.button.y : static_cast<float>(my);
    const bool on_canvas = !ImGui::GetIO().WantCaptureMouse && !point_over_panel(x, y);
    if (e.type == SDL_MOUSEMOTION) app.mouse_over_canvas = true;
    if (handle_event_3d(app.pane(), e, on_canvas, &app.dragging)) return;
  }
  switch (e.type) {
  case SDL_KEYDOWN:
    if (!keys_for_panels()) handle_key(e.key.keysym.sym, e.key.keysym.mod);
    break;
  case SDL_MOUSEWHEEL: {
    int mx = 0, my = 0;
    SDL_GetMouseState(&mx, &my);
    if (!io.WantCaptureMouse && !point_over_panel(mx, my)) {
      double x, y;
      canvas_to_world(mx, my, &x, &y);
      // 0.8 per notch, in proportion for a trackpad's smaller steps.
      zoom_view(std::pow(0.8, std::clamp(static_cast<double>(e.wheel.preciseY), -4.0, 4.0)), x, y);
    }
    break;
  }
  case SDL_MOUSEBUTTONDOWN:
    if (!io.WantCaptureMouse && !point_over_panel(e.button.x, e.button.y)) {
      app.dragging = e.button.button == SDL_BUTTON_LEFT;
      app.drag_distance = 0;
      if (e.button.button == SDL_BUTTON_RIGHT) {
        double x, y;
        canvas_to_world(e.button.x, e.button.y, &x, &y);
        const double radius = 8.0 * app.pane().view.width() / std::max(1, app.pane().canvas.css_width);
        edit_points([&](Session& s) { return s.remove_point(x, y, radius); });
      }
    }
    break;
  case SDL_MULTIGESTURE: // pinch: zoom about the fingers' centre
    if (e.mgesture.numFingers >= 2 && std::abs(e.mgesture.dDist) > 1e-4f) {
      double x, y;
      canvas_to_world(e.mgesture.x * app.css_width, e.mgesture.y * app.css_height, &x, &y);
      zoom_view(std::exp(-4.0 * e.mgesture.dDist), x, y);
      app.dragging = false; // the fingers' motion is not a pan
    }
    break;
  case SDL_WINDOWEVENT:
    if (e.window.event == SDL_WINDOWEVENT_LEAVE) app.mouse_over_canvas = false;
    break;
  case SDL_MOUSEMOTION:
    app.mouse_over_canvas = true;
    if (app.dragging && (e.motion.state & SDL_BUTTON_LMASK)) {
      app.drag_distance += std::abs(e.motion.xrel) + std::abs(e.motion.yrel);
      if (app.drag_distance > 3) {
        const double dx = e.motion.xrel * app.pane().view.width() / std::max(1, app.pane().canvas.css_width);
        const double dy = e.motion.yrel * app.pane().view.height() / std::max(1, app.pane().canvas.css_height);
        app.pane().view = Window{app.pane().view.x0 - dx, app.pane().view.x1 - dx, app.pane().view.y0 + dy, app.pane().view.y1 + dy};
        app.pane().view_fitted = false;
      }
    }
    break;
  case SDL_MOUSEBUTTONUP:
    if (e.button.button == SDL_BUTTON_LEFT && app.dragging && app.drag_distance <= 3 &&
        !io.WantCaptureMouse) {
      double x, y;
      canvas_to_world(e.button.x, e.button.y, &x, &y);
      if (app.pane().plane.on()) { // image data: a click pins the image there (no points to place)
        pin_inspector(x, y);
        app.dragging = false;
        break;
      }
      const bool remove = (SDL_GetModState() & KMOD_SHIFT) != 0;
      const double radius = 8.0 * app.pane().view.width() / std::max(1, app.pane().canvas.css_width);
      const bool regression = app.pane().session->data().train.is_regression();
      // On the line, a click places the point (x, target) where it lands on the plot.
      const double value = !regression ? app.add_class : shows_curve(app.pane()) ? y : 0.0;
      edit_points([&](Session& s) { return remove ? s.remove_point(x, y, radius) : s.add_point(x, y, value); });
    }
    app.dragging = false;
    break;
  default: break;
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Frame
// -----------------------------------------------------------------------------------------------

void sync_canvas_size() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#stage", &css_w, &css_h);
  const int w = std::max(1, static_cast<int>(std::lround(css_w)));
  const int h = std::max(1, static_cast<int>(std::lround(css_h)));
  if (w != app.css_width || h != app.css_height) {
    SDL_SetWindowSize(app.window, w, h);
    // A fitted view fits the new size; any other keeps its centre and scale.
    if (app.css_width == 0 || app.pane().view_fitted) {
      app.pane().view = fit_view(w, h);
    } else {
      const double cx = 0.5 * (app.pane().view.x0 + app.pane().view.x1), cy = 0.5 * (app.pane().view.y0 + app.pane().view.y1);
      const double per_px = app.pane().view.height() / std::max(1, app.css_height);
      app.pane().view = Window{cx - 0.5 * w * per_px, cx + 0.5 * w * per_px, cy - 0.5 * h * per_px,
                        cy + 0.5 * h * per_px};
    }
    app.css_width = w;
    app.css_height = h;
  }
  // A new device pixel ratio at the same CSS size (the window moved to another screen, a browser
  // zoom): SDL sizes the drawing buffer for it when asked to size the window again; the type
  // follows (update_type).
  static double last_ratio = 0;
  const double ratio = emscripten_get_device_pixel_ratio();
  if (ratio != last_ratio) {
    if (last_ratio > 0) SDL_SetWindowSize(app.window, w, h);
    last_ratio = ratio;
  }
  SDL_GL_GetDrawableSize(app.window, &app.pixel_width, &app.pixel_height);
  app.pixel_ratio = app.css_width > 0 ? static_cast<float>(app.pixel_width) / app.css_width : 1.f;
}

// The pane whose geometry may refresh this frame: in compare mode one a frame, in turn among those
// due (a frame then costs what one pane's refresh does, whatever the panes); -1: every pane (one
// pane), -2: none due.
int geometry_turn(double now) {
  const int n = static_cast<int>(app.panes.size());
  if (n < 2) return -1;
  static int last = 0;
  for (int k = 1; k <= n; ++k) {
    const int i = (last + k) % n;
    if (geometry_due(*app.panes[i], now)) return last = i;
  }
  return -2;
}

// The geometry refreshes that may come this frame, by what the last ones took.
double geometry_due_ms(int turn, double now) {
  if (turn >= 0) return app.panes[turn]->last_geometry_ms;
  return turn == -1 && geometry_due(app.pane(), now) ? app.pane().last_geometry_ms : 0.0;
}

// other_ms: the main-thread work expected later in this frame (a geometry refresh): training
// leaves room for it, so that the frame's tasks stay within kFrameWorkMs where they can.
void train_within_budget(double other_ms) {
  if (!app.playing) return;
  double budget =
      app.speed * std::clamp(kTrainShare * app.frame_ms, kTrainBudgetMinMs, kTrainBudgetMaxMs);
  budget = std::min(budget, std::max(kTrainBudgetMinMs, kFrameWorkMs - other_ms));
  // Compare mode draws and measures several panes a frame: training leaves them more of it.
  if (app.panes.size() > 1) budget = std::min(budget, kCompareTrainBudgetMs);
  int steps = static_cast<int>(budget / std::max(1e-4, app.step_ms));
  const int due = app.pace_clock.due(app.pace, emscripten_get_now());
  if (due <= 0) return;
  steps = std::min(steps, due);
  // At most twice the last frame's steps: a new network's steps may cost far more than the
  // estimate (which then catches up over a few frames instead of one long frame).
  steps = std::clamp(steps, 1, std::min(kMaxStepsPerFrame, 2 * std::max(1, app.frame_steps)));
  if (app.run_until >= 0)
    steps = static_cast<int>(std::min<std::int64_t>(steps, app.run_until - app.pane().session->steps()));
  const double t0 = emscripten_get_now();
  train_steps(steps);
  app.pace_clock.spend(steps);
  const double per_step = (emscripten_get_now() - t0) / std::max(1, steps);
  app.step_ms = std::max(per_step, 0.8 * app.step_ms + 0.2 * per_step); // slower at once
  app.frame_steps = steps;
}

// The training worker's progress since the last frame, adopted in order while it still stands
// for the session (any other change since the handoff supersedes it: a new handoff follows).
void adopt_worker_progress() {
  WorkerLink& link = worker_link();
  if (app.panes.size() > 1) { // compare mode trains in the page, in lock step
    link.take_progress();
    return;
  }
  for (const WorkerProgress& p : link.take_progress()) {
    if (!app.playing || app.pane().session->revision() != link.revision()) break;
    const LoadResult<TrainingProgress> progress = read_progress(p.bytes);
    const std::string refused = progress.ok() ? app.pane().session->adopt(progress.value) : progress.error;
    if (!refused.empty()) {
      link.use_page("the training worker's progress was refused: " + refused);
      break;
    }
    link.set_revision(app.pane().session->revision());
    on_network_changed();
    // The worker stopped before a step that diverges: take it here, where the divergence dialog
    // follows (the same state gives the same step).
    if (p.status == 1) train_steps(1);
    if (app.run_until >= 0 && app.pane().session->steps() >= app.run_until) {
      app.playing = false;
      app.run_until = -1;
    }
  }
}

// While playing, the worker trains a copy of the session, handed over again after every change
// that did not come from it; paused, it stops.
void hand_training_to_worker() {
  WorkerLink& link = worker_link();
  if (link.thread() != TrainingThread::worker) return;
  const double duty = std::min(1.0, app.speed * kWorkerShare);
  if (!app.playing || app.pane().session->diverged() || app.panes.size() > 1) {
    link.stop();
  } else if (!link.running() || app.pane().session->revision() != link.revision()) {
    link.run(write_handoff(app.pane().session->handoff(false), app.pane().session->shared_data()), app.pane().session->revision(), app.run_until, duty,
             app.pace);
  } else {
    link.set_rate(duty, app.pace);
  }
}

void frame() {
  static double previous_frame = emscripten_get_now();
  const double frame_start = emscripten_get_now();
  if (frame_start - app.last_frame_end > kStallMs) {
    // Long outside any frame: the page was blocked (a long step(n) from the page) or hidden.
    // The frame and step rates start a new window here rather than report the pause as a rate
    // of about one frame a second. (A frame that is itself slow is not a stall.)
    app.last_fps_time = app.last_rate_time = frame_start;
    app.frames_at_last_fps = app.frames;
    app.steps_at_last_rate = app.pane().session->steps();
  } else {
    app.frame_ms = 0.9 * app.frame_ms + 0.1 * (frame_start - previous_frame);
  }
  previous_frame = frame_start;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_MOUSEWHEEL) {
      // ImGui 1.86's backend counts every wheel event as one step: a trackpad's many small events
      // race, a mouse's notch crawls (about two lines). Scroll panels by the event's precise
      // amount instead, kWheelScroll steps per notch.
      ImGuiIO& io = ImGui::GetIO();
      const float precise = std::clamp(event.wheel.preciseY, -4.0f, 4.0f);
      io.MouseWheel += kWheelScroll * precise - (event.wheel.y > 0 ? 1.0f : event.wheel.y < 0 ? -1.0f : 0.0f);
    }
    handle_event(event);
  }
  sync_canvas_size();
  // Settings that waited for image data start its session in a frame of their own: the next frame
  // draws it (a new network's shader and tiles are a task's worth too).
  if (run_arrived_images()) {
    app.last_frame_end = emscripten_get_now();
    return;
  }
  if (app.panes.size() > 1) {
    const PanelRect free = free_rect(std::max(1, app.css_width), std::max(1, app.css_height));
    layout_panes(app.panes, whole_canvas(), free.x0, free.y0, free.x1, free.y1);
  } else {
    app.pane().canvas = whole_canvas();
  }
  const int turn = geometry_turn(frame_start);
  const double t_train = emscripten_get_now();
  worker_link().check_start(frame_start);
  adopt_worker_progress();
  hand_training_to_worker();
  if (worker_link().thread() != TrainingThread::worker || app.panes.size() > 1)
    train_within_budget(geometry_due_ms(turn, frame_start));
  const double t_trained = emscripten_get_now();

  const double now = emscripten_get_now();
  if (now - app.last_rate_time >= 500.0) {
    app.steps_per_second = app.playing ? 1000.0 * (app.pane().session->steps() - app.steps_at_last_rate) /
                                             (now - app.last_rate_time)
                                       : 0.0;
    app.steps_at_last_rate = app.pane().session->steps();
    app.last_rate_time = now;
  }
  sync_address(now);
  app.frame_geometry_ms = 0;
  if (app.panes.size() > 1) follow_first_pane(app.panes);
  for (std::size_t i = 0; i < app.panes.size(); ++i) {
    Pane* pane = app.panes[i].get();
    const bool had_plane = pane->plane.on();
    const std::string plane_note = sync_image_plane(*pane);
    if (!plane_note.empty()) notify(plane_note);
    if (pane->plane.on() != had_plane && pane->view_fitted && i == 0) fit_the_view();
    if (update_batch_view(*pane, now)) {
      pane->weights_dirty = true;
      pane->tiles_counted_at = -1;
    }
    prepare_plane(*pane, app.playing);
    // Paused on large data: the exact losses and accuracies, a bounded chunk of points a frame.
    if (!app.playing)
      pane->session->refine_metrics(std::max<Eigen::Index>(
          200, static_cast<Eigen::Index>(kRefineMacBudget / pane->session->network().multiply_adds())));
    if (turn != -1 && turn != static_cast<int>(i)) continue;
    const double geometry_ms = update_plane_geometry(*pane, app.playing, now);
    if (geometry_ms > 0) app.timing.geometry_ms = 0.9 * app.timing.geometry_ms + 0.1 * geometry_ms;
    app.frame_geometry_ms += geometry_ms;
  }

  follow_theme();
  update_type(app.pixel_ratio, app.ui_scale, narrow_layout(), app.light()); // a new screen, scale, layout or theme
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  const double t_panels = emscripten_get_now();
  for (auto& pane : app.panes) update_neuron_note(*pane);
  draw_panels();
  if (app.pane().view_fitted) {
    // Follows the settings window (shown, collapsed, moved; its place is known from the first
    // frame on); takes effect from the next frame's tiles.
    const Window fitted = fit_view(app.css_width, app.css_height);
    if (fitted.x0 != app.pane().view.x0 || fitted.x1 != app.pane().view.x1 || fitted.y0 != app.pane().view.y0 ||
        fitted.y1 != app.pane().view.y1)
      app.pane().view = fitted;
  }
  ImGui::Render();
  const double t_drawing = emscripten_get_now();

  // Each pane draws into its part of the canvas (the whole canvas: one pane).
  if (app.panes.size() > 1) { // the background between the panes
    const float* background = background_rgb(app.pane().style);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, app.pixel_width, app.pixel_height);
    glClearColor(background[0], background[1], background[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  double tiles_ms = 0;
  for (auto& pane : app.panes) {
    const Canvas& canvas = pane->canvas;
    pane->renderer.set_output_origin(canvas.pixel_x, canvas.pixel_y);
    const double t_pane = emscripten_get_now();
    if (pane->view_3d && !shows_curve(*pane)) {
      draw_view_3d(*pane, canvas, app.playing);
    } else {
      draw_plane_tiles(*pane, canvas, app.playing);
      tiles_ms += emscripten_get_now() - t_pane;
      draw_plane_points(*pane, canvas);
    }
  }
  const double t_points = emscripten_get_now();
  const double t_tiles = t_drawing + tiles_ms;
  imgui_renderer_render(ImGui::GetDrawData());
  const double t_drawn = emscripten_get_now();
  auto average = [](double& into, double ms) { into = 0.9 * into + 0.1 * ms; };
  average(app.timing.train_ms, t_trained - t_train);
  average(app.timing.panels_ms, t_drawing - t_panels);
  average(app.timing.tiles_ms, t_tiles - t_drawing);
  average(app.timing.points_ms, t_points - t_tiles);
  average(app.timing.ui_ms, t_drawn - t_points);

  ++app.frames;
  if (now - app.last_fps_time >= 500.0) {
    app.fps = 1000.0 * (app.frames - app.frames_at_last_fps) / (now - app.last_fps_time);
    for (auto& pane : app.panes) {
      if (app.playing && app.fps < 20)
        pane->training_resolution = std::max(0.2f, pane->training_resolution * 0.75f);
      else if (app.playing && app.fps > 40)
        pane->training_resolution = std::min(1.0f, pane->training_resolution * 1.25f);
      // The per-pixel pass's budget follows the frame rate too, when the pass ran in this window:
      // up (to what a fast GPU can do) when there is time to spare, back down to the software
      // renderer's when frames slow. Not lower: there a frame's cost is mostly fixed per draw, so
      // smaller bands would only make the refinement slower.
      if (pane->pixel_passes > 0 && app.fps < 20)
        pane->pixel_budget_scale = std::max(1.0, pane->pixel_budget_scale * 0.5);
      else if (pane->pixel_passes > 0 && app.fps > 40)
        pane->pixel_budget_scale = std::min(kMaxPixelBudgetScale, pane->pixel_budget_scale * 1.25);
      pane->pixel_passes = 0;
    }
    app.last_fps_time = now;
    app.frames_at_last_fps = app.frames;
  }
  if (app.frames == 1) {
    EM_ASM({ if (window.splinescope && window.splinescope._first_frame) window.splinescope._first_frame(); });
  }
  app.last_frame_end = emscripten_get_now();
}

void report_error(const std::string& message) {
  std::fprintf(stderr, "SplineScope: %s\n", message.c_str());
  EM_ASM({ if (window.splinescope_fail) window.splinescope_fail(UTF8ToString($0)); },
         message.c_str());
}

// The page's address without query and fragment (base), or its query and fragment. Read through
// EM_ASM rather than emscripten_run_script_string, which needs eval: a strict
// Content-Security-Policy forbids it, and the build turns it off (DYNAMIC_EXECUTION=0).
std::string page_address(bool base) {
  char* text = reinterpret_cast<char*>(EM_ASM_INT({
    var s = $0 ? location.href.split('#')[0].split('?')[0] : location.search + location.hash;
    var size = lengthBytesUTF8(s) + 1;
    var p = _malloc(size);
    stringToUTF8(s, p, size);
    return p;
  }, base ? 1 : 0));
  std::string address = text ? text : "";
  std::free(text);
  return address;
}

} // namespace
} // namespace splinescope

// -----------------------------------------------------------------------------------------------
// [SECTION] Start-up
// -----------------------------------------------------------------------------------------------

int main() {
  using namespace splinescope;
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    report_error(std::string("SDL could not start: ") + SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  app.window = SDL_CreateWindow("SplineScope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 960,
                                640, SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                         SDL_WINDOW_ALLOW_HIGHDPI);
  if (!app.window) {
    report_error(std::string("could not create the window: ") + SDL_GetError());
    return 1;
  }
  app.gl = SDL_GL_CreateContext(app.window);
  if (!app.gl) {
    report_error(std::string("could not create a WebGL2 context: ") + SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(app.window, app.gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr; // nothing to persist on a web page's virtual file system
  // Every control reachable from the keyboard: arrows move between them, Space or Enter
  // activates, Escape leaves (the page's own keys work whenever no control has keyboard focus).
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  app.reduced_motion = EM_ASM_INT({
    return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 1 : 0;
  }) != 0;
  ImGui_ImplSDL2_InitForOpenGL(app.window, app.gl);
  const char* gl_error = nullptr;
  if (!imgui_renderer_init(&gl_error)) {
    report_error(gl_error);
    return 1;
  }

  std::string pane_error;
  app.panes.push_back(make_pane(SessionConfig{}, &pane_error));
  if (!app.panes.front()) {
    report_error(pane_error);
    return 1;
  }
  app.pending = app.pane().session->config();
  worker_link().start(emscripten_get_now());
  sync_canvas_size();
  // The address fixes the setup: every setting, the view, the panels (url_state.h).
  app.page_url = page_address(true);
  load_address(page_address(false));
  app.last_fps_time = app.last_rate_time = app.last_frame_end = emscripten_get_now();
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
