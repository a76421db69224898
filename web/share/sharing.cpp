// sharing.cpp - the page's state as an address (url_state.h): reading it at start-up and on
// navigation, keeping the address bar current, the share and embed window, the lessons gallery,
// and what an embedded page adds (caption, a play button on a bare canvas, a link to the full app).
//
// Index
//   [SECTION] Page state
//   [SECTION] Share and embed
//   [SECTION] Lessons
//   [SECTION] Embed overlays
#include "app.h"
#include "compare.h"
#include "curve_view.h"
#include "image_data.h"
#include "image_loader.h"
#include "lesson_claims.h"
#include "lessons.h"
#include "slice_view.h"
#include "type.h"
#include "view3d.h"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h> // the settings window's rectangle, for the caption

#include <algorithm>
#include <cmath>
#include <cstring>

namespace splinescope {

namespace {
constexpr double kAddressSyncMs = 500.0;
constexpr double kNoteSeconds = 12.0;

void copy_to_clipboard(const std::string& text) {
  EM_ASM({ if (window.splinescope && window.splinescope._copy) window.splinescope._copy(UTF8ToString($0)); },
         text.c_str());
}
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Page state
// -----------------------------------------------------------------------------------------------

bool panel_shown(unsigned panel) { return (app.panels & panel) != 0; }

PageState capture_page_state() {
  PageState s;
  s.session = page_settings();
  s.images = app.pane().plane.on() ? plane_image_indices(app.pane()) : app.pane().plane.wanted;
  s.plane_orthonormal = app.pane().plane.orthonormal;
  if (!is_image_data(s.session.data.name)) {
    s.images = {{-1, -1, -1}};
    s.plane_orthonormal = false;
  }
  if (app.panes.size() > 1)
    for (const auto& pane : app.panes) s.compare.push_back(pane->settings);
  s.view_x = 0.5 * (app.pane().view.x0 + app.pane().view.x1);
  s.view_y = 0.5 * (app.pane().view.y0 + app.pane().view.y1);
  s.view_radius = 0.5 * std::min(app.pane().view.width(), app.pane().view.height());
  s.view_fit = app.pane().view_fitted;
  s.color_mode = app.pane().style.color_mode;
  s.output_index = app.pane().style.output_index;
  s.code_layers = app.pane().style.code_layers;
  s.view_3d = app.pane().view_3d;
  s.orbit_yaw = app.pane().orbit_yaw;
  s.orbit_pitch = app.pane().orbit_pitch;
  s.neuron_layer = app.pane().highlight_layer;
  s.neuron_unit = app.pane().highlight_unit;
  s.edges = app.pane().style.edge_width > 0;
  s.edge_colour = app.pane().style.edge_colour;
  s.boundary = app.pane().style.boundary_width > 0;
  s.points = app.pane().show_points;
  s.test_points = app.pane().show_test;
  s.exact = app.pane().render_exact;
  s.bn_batch = app.pane().batch_statistics;
  s.ui_scale = shortest_double(app.ui_scale);
  s.theme = app.theme;
  s.pace = app.pace;
  s.speed = shortest_double(app.speed); // as set: 0.05, not 0.05000000074505806
  s.autoplay = app.autoplay;
  s.run_steps = app.run_steps;
  s.embed = app.embed;
  s.panels = app.panels;
  s.caption = app.caption;
  s.lesson = app.lesson;
  return s;
}

void apply_page_state(const PageState& s) {
  if (is_image_data(s.session.data.name) && !provided_images(s.session.data.name)) {
    // Image data arrives first (a progress bar meanwhile); the whole state follows it.
    app.pane().plane.wanted = s.images;
    request_images(s.session.data.name, [s] { apply_page_state(s); });
    return;
  }
  cancel_image_request(); // this state comes after any that waited for images
  if (is_image_data(s.session.data.name) && s.compare.size() > 1) {
    PageState single = s;
    single.compare.clear();
    notify("Compare mode does not take image data yet: showing one pane.");
    return apply_page_state(single);
  }
  // The plane a link names (image data), read when the images are there.
  app.pane().plane.orthonormal = s.plane_orthonormal;
  if (s.images != app.pane().plane.wanted || !is_image_data(s.session.data.name)) {
    app.pane().plane.wanted = s.images;
    if (app.pane().plane.on()) {
      app.pane().plane.images = {{-1, -1, -1}}; // chosen again, now
      const std::string note = sync_image_plane(app.pane());
      if (!note.empty()) notify(note);
    }
  }
  std::vector<std::string> notes = set_compare(app.panes, s.compare, s.session);
  if (s.compare.size() > 1) app.compare_base = s.session;
  if (!notes.empty()) notify("Compare mode: " + notes.front());
  apply_settings(s.session);
  // A lesson is an experiment: its run starts at step 0 from its seed, even when the settings
  // were already these (its timeline and charts then cover the lesson's run only).
  if (!s.lesson.empty() && app.pane().session->steps() > 0) reset_run();
  if (s.view_fit) {
    fit_the_view();
  } else {
    app.pane().view = window_around(s.view_x, s.view_y, s.view_radius, app.css_width, app.css_height);
    app.pane().view_fitted = false;
  }
  app.pane().style.color_mode = s.color_mode;
  app.pane().style.output_index = s.output_index;
  app.pane().style.code_layers = s.code_layers;
  app.pane().style.edge_width = s.edges ? 1.0f : 0.0f;
  app.pane().style.edge_colour = s.edge_colour;
  app.pane().style.boundary_width = s.boundary ? 2.5f : 0.0f;
  switch_view_3d(s.view_3d);
  app.pane().orbit_yaw = static_cast<float>(s.orbit_yaw);
  app.pane().orbit_pitch = static_cast<float>(s.orbit_pitch);
  app.pane().highlight_layer = s.neuron_layer;
  app.pane().highlight_unit = s.neuron_unit;
  app.pane().show_points = s.points;
  app.pane().show_test = s.test_points;
  app.pane().render_exact = s.exact;
  app.pane().batch_statistics = s.bn_batch;
  app.ui_scale = static_cast<float>(s.ui_scale);
  app.theme = s.theme;
  app.pace = s.pace;
  app.speed = static_cast<float>(s.speed);
  app.autoplay = s.autoplay;
  app.run_steps = s.run_steps;
  app.embed = s.embed;
  app.panels = s.panels;
  // A link that lists the graph among its panels shows it, on any screen.
  if (s.panels != kAllPanels && (s.panels & kPanelGraph)) app.graph_choice = 1;
  app.caption = s.caption;
  app.lesson = s.lesson;
  app.pane().tess_uploaded = false;
  on_network_changed();
  on_data_changed();
  if (s.autoplay || s.run_steps > 0) {
    app.run_until = s.run_steps > 0 ? app.pane().session->steps() + s.run_steps : -1;
    if (app.reduced_motion && !app.user_played) {
      app.autoplay_held = true;
      notify("Reduced motion is on: training starts when you press Play.", 10.0);
    } else {
      set_playing(true);
    }
  }
}

std::vector<std::string> load_address(const std::string& text) {
  const DecodedState decoded = decode_page_state(text);
  apply_page_state(decoded.state);
  app.url_notes = decoded.notes;
  if (!decoded.notes.empty()) {
    std::string message = "Some settings in the address were not used:";
    for (const std::string& n : decoded.notes) message += "\n  " + n;
    notify(message, kNoteSeconds);
  }
  app.address_state.clear(); // write the corrected state back
  return decoded.notes;
}

void sync_address(double now) {
  static double last = 0;
  if (now - last < kAddressSyncMs || app.dragging) return;
  last = now;
  const std::string state = encode_page_state(capture_page_state());
  if (state == app.address_state) return;
  app.address_state = state;
  EM_ASM({
    try {
      var s = UTF8ToString($0);
      history.replaceState(history.state, "", location.pathname + (s ? "#" + s : ""));
    } catch (e) { /* a sandboxed frame may refuse: the state stays on the page */ }
  }, state.c_str());
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Share and embed
// -----------------------------------------------------------------------------------------------

namespace {

struct EmbedChoice {
  unsigned panels = kPanelControls | kPanelCharts | kPanelInspector;
  bool autoplay = true;
  int steps = 0;
  int width = 800, height = 500;
  char caption[256] = "";
};
EmbedChoice embed_choice;

std::string embed_link() {
  PageState s = capture_page_state();
  s.embed = true;
  s.panels = embed_choice.panels;
  s.autoplay = embed_choice.autoplay;
  s.run_steps = std::max(0, embed_choice.steps);
  s.caption = embed_choice.caption;
  return app.page_url + "#" + encode_page_state(s);
}

// The sandbox flags the snippet states: scripts; SplineScope's own origin (without it the frame's
// origin is opaque and its files load only from a host that sends Access-Control-Allow-Origin);
// downloads for the Export panel; a new tab for "Open in SplineScope", itself not sandboxed.
constexpr const char* kEmbedSandbox =
    "allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox";

std::string iframe_snippet() {
  std::string html = "<iframe src=\"";
  for (char c : embed_link()) html += c == '"' ? std::string("&quot;") : c == '&' ? "&amp;" : std::string(1, c);
  html += "\" width=\"" + std::to_string(embed_choice.width) + "\" height=\"" +
          std::to_string(embed_choice.height) +
          "\" style=\"border:0\" loading=\"lazy\" allow=\"clipboard-write\" "
          "sandbox=\"" + std::string(kEmbedSandbox) + "\" title=\"SplineScope\"></iframe>";
  return html;
}

// A long text (a link, a snippet) wrapped on a framed background, whole and readable; the
// buttons beside it copy it.
void wrapped_text_box(const char* id, const std::string& text) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float width = ImGui::GetContentRegionAvail().x;
  const float wrap = width - 2 * style.FramePadding.x;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  ImGui::BeginChild(id, ImVec2(width, size.y + 2 * style.FramePadding.y + 2), false,
                    ImGuiWindowFlags_NoScrollbar);
  ImGui::SetCursorPos(style.FramePadding);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

} // namespace

std::string share_link() {
  const std::string state = encode_page_state(capture_page_state());
  return app.page_url + (state.empty() ? "" : "#" + state);
}

std::string embed_snippet() { return iframe_snippet(); }

void share_window() {
  if (!app.show_share) return;
  const float width = std::min(ui_px(460), app.css_width - 20.0f);
  ImGui::SetNextWindowSize(ImVec2(width, 0), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(0.5f * app.css_width, 0.5f * app.css_height),
                          ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
  if (!ImGui::Begin("Share and embed", &app.show_share)) {
    ImGui::End();
    return;
  }
  ImGui::TextWrapped("This link opens SplineScope with these settings, view and overlays "
                     "(the weights train again from the same seed).");
  const int placed = app.pane().session->user_points().size();
  if (placed > 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.75f, 0.3f, 1.0f));
    ImGui::TextWrapped("The %d point%s you placed %s not in the link: links carry settings. "
                       "Export > session keeps them with the weights.",
                       placed, placed == 1 ? "" : "s", placed == 1 ? "is" : "are");
    ImGui::PopStyleColor();
  }
  const std::string link = share_link();
  wrapped_text_box("##link", link);
  if (ImGui::Button("Copy link")) {
    copy_to_clipboard(link);
    notify("Link copied.", 3.0);
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Embed in a course page");
  struct Choice {
    const char* label;
    unsigned bit;
  };
  static const Choice choices[] = {
      {"controls", kPanelControls}, {"data", kPanelData},       {"network", kPanelNetwork},
      {"optimiser", kPanelOptimizer}, {"view", kPanelView},     {"export", kPanelExport},
      {"charts", kPanelCharts},     {"lessons", kPanelLessons}, {"inspector", kPanelInspector},
      {"graph", kPanelGraph}};
  // As many checkboxes per row as fit.
  const float column = 110.0f;
  const int per_row = std::max(1, static_cast<int>(ImGui::GetContentRegionAvail().x / column));
  int index = 0;
  for (const Choice& c : choices) {
    bool on = (embed_choice.panels & c.bit) != 0;
    if (index % per_row != 0) ImGui::SameLine(column * (index % per_row));
    if (ImGui::Checkbox(c.label, &on)) embed_choice.panels ^= c.bit;
    ++index;
  }
  ImGui::TextDisabled("No panels: a bare canvas with a play button.");
  ImGui::Checkbox("start training", &embed_choice.autoplay);
  ImGui::TextUnformatted("Pause after this many steps (0: never)");
  ImGui::SetNextItemWidth(ui_px(160));
  ImGui::InputInt("##steps", &embed_choice.steps, 100, 1000);
  embed_choice.steps = std::clamp(embed_choice.steps, 0, 100000000);
  ImGui::TextUnformatted("Caption under the canvas");
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##caption", embed_choice.caption, sizeof embed_choice.caption);
  ImGui::SetNextItemWidth(ui_px(100));
  ImGui::InputInt("width", &embed_choice.width, 10, 100);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ui_px(100));
  ImGui::InputInt("height", &embed_choice.height, 10, 100);
  embed_choice.width = std::clamp(embed_choice.width, 160, 4096);
  embed_choice.height = std::clamp(embed_choice.height, 120, 4096);
  const std::string snippet = iframe_snippet();
  wrapped_text_box("##snippet", snippet);
  if (ImGui::Button("Copy snippet")) {
    copy_to_clipboard(snippet);
    notify("Embed snippet copied.", 3.0);
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("The page fits any frame size, and the data is framed beside the panels "
                      "you choose. docs/embedding.md has the host page API and the sandbox "
                      "flags.");
  ImGui::PopTextWrapPos();
  ImGui::End();
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Lessons
// -----------------------------------------------------------------------------------------------

bool open_lesson(const std::string& id) {
  if (!find_lesson(id)) return false;
  const std::string before = encode_page_state(capture_page_state());
  load_address("#lesson=" + id);
  const std::string after = encode_page_state(capture_page_state());
  app.address_state = after;
  // The setup before the lesson keeps its own history entry, so the browser's Back returns to it
  // (the page loads the address on popstate/hashchange). A sandboxed frame may refuse: then the
  // lesson is open without a way back through history.
  EM_ASM({
    try {
      var before = UTF8ToString($0);
      var after = UTF8ToString($1);
      history.replaceState(history.state, "", location.pathname + (before ? "#" + before : ""));
      history.pushState(null, "", location.pathname + (after ? "#" + after : ""));
    } catch (e) { }
  }, before.c_str(), after.c_str());
  return true;
}

void lessons_window() {
  if (!app.show_lessons || !panel_shown(kPanelLessons)) return;
  ImGui::SetNextWindowSize(ImVec2(ui_px(380), ui_px(420)), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(app.css_width - 392.0f, 12), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Lessons", &app.show_lessons)) {
    ImGui::End();
    return;
  }
  ImGui::TextWrapped("Presets that show the geometry of deep networks. Each one is a link: "
                     "share it, or change anything and share your own.");
  for (const Lesson& lesson : lessons()) {
    ImGui::Separator();
    ImGui::PushID(lesson.id);
    const bool current = app.lesson == lesson.id;
    if (ImGui::Selectable(lesson.title, current)) open_lesson(lesson.id);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("#lesson=%s", lesson.id);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", lesson.caption);
    ImGui::PopTextWrapPos();
    ImGui::PopID();
  }
  ImGui::End();
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Embed overlays
// -----------------------------------------------------------------------------------------------

namespace {

} // namespace

namespace {
// What the page measures of one pane's run (lesson_claims.h); the checks by forward passes only
// for the claim that reads them.
ClaimFigures claim_figures(const Pane& pane, ClaimKind kind) {
  ClaimFigures f;
  const Network& net = pane.shown_network();
  for (int l = 0; l < net.hidden_layers(); ++l) f.widths.push_back(net.layers[l].width());
  f.tiles = pane.grid_tiles;
  f.tiles_exact = pane.tess.ok() && pane.grid_size == 0;
  if (f.tiles_exact && pane.tess.full_depth()) f.tiles_per_layer = pane.tess.tiles_per_layer;
  if (shows_curve(pane) && pane.curve.ok()) {
    f.pieces = pane.curve.piece_count();
    std::vector<double> at;
    for (const Knot& k : pane.curve.knots)
      if (at.empty() || k.t != at.back()) at.push_back(k.t);
    f.knot_positions = static_cast<int>(at.size());
  }
  f.test_loss = pane.replay >= 0 ? pane.replay_test.loss : pane.session->test_metrics().loss;
  for (const HistoryPoint& h : pane.session->history().items())
    if (std::isfinite(h.lc_train) && std::isfinite(h.lc_boundary)) {
      f.lc_train.push_back(h.lc_train);
      f.lc_boundary.push_back(h.lc_boundary);
    }
  f.parameters = parameter_count(net);
  f.batch_jitter = pane.batch_statistics ? pane.batch_jitter : NAN;
  f.test_accuracy = pane.replay >= 0 ? pane.replay_test.accuracy : pane.session->test_metrics().accuracy;
  if (f.tiles_exact && pane.tess.full_depth()) {
    switch (kind) {
    case ClaimKind::affine_tiles: measure_affine_tiles(net, pane.tess, &f); break;
    case ClaimKind::boundary_segments: measure_boundary_segments(net, pane.boundary, &f); break;
    case ClaimKind::edge_crossings: measure_edge_crossings(net, pane.tess, &f); break;
    case ClaimKind::bent_neurons: measure_bent_neurons(pane.tess, pane.highlight_layer - 1, pane.highlight_unit, &f); break;
    case ClaimKind::no_flat_tiles: measure_flat_tiles(pane.tess, &f); break;
    default: break;
    }
  }
  if (kind == ClaimKind::plane_images && pane.plane.on()) {
    if (const ImageSplit* images = pane_images(pane)) {
      const std::array<int, 3> labels{{images->train.labels[pane.plane.images[0]], images->train.labels[pane.plane.images[1]],
                                      images->train.labels[pane.plane.images[2]]}};
      measure_plane_images(net, pane.plane.anchors, labels, &f);
    }
  }
  return f;
}
} // namespace

ClaimReading lesson_claim() {
  const Lesson* lesson = find_lesson(app.lesson);
  if (!lesson || !app.caption.empty()) return {};
  // The caption asks every frame: the reading is made again when the step or the geometry
  // changed, and while training at most twice a second (its checks make forward passes).
  static struct {
    std::string lesson;
    std::vector<const Pane*> panes;
    std::vector<double> counted;
    std::int64_t step = -1;
    double at = -1e9;
    ClaimReading reading;
  } cache;
  std::vector<const Pane*> panes;
  std::vector<double> counted;
  for (const auto& pane : app.panes) {
    panes.push_back(pane.get());
    counted.push_back(pane->counted_time);
  }
  const double now = emscripten_get_now();
  const bool same_page = cache.lesson == lesson->id && cache.panes == panes;
  const bool unchanged = cache.counted == counted && cache.step == shown_step();
  if (same_page && (unchanged || (app.playing && now - cache.at < 500.0))) return cache.reading;
  ClaimFigures f = claim_figures(app.pane(), lesson->claim.kind);
  if (app.panes.size() > 1)
    for (const auto& pane : app.panes) f.panes.push_back(claim_figures(*pane, lesson->claim.kind));
  cache.lesson = lesson->id;
  cache.panes = panes;
  cache.counted = counted;
  cache.step = shown_step();
  cache.at = now;
  cache.reading = read_claim(lesson->claim, f);
  return cache.reading;
}

namespace {

const char* shown_caption() {
  if (!app.caption.empty()) return app.caption.c_str();
  if (const Lesson* lesson = find_lesson(app.lesson)) return lesson->caption;
  return nullptr;
}

constexpr ImGuiWindowFlags kOverlayFlags =
    ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
    ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing;

} // namespace

void embed_overlays() {
  const float w = static_cast<float>(app.css_width), h = static_cast<float>(app.css_height);
  // Caption: a band at the bottom of the canvas.
  app.caption_height = 0;
  if (const char* caption = shown_caption()) {
    // Centred in what the settings window leaves of the canvas's width, when it leaves enough.
    float left = 0;
    if (const ImGuiWindow* settings = ImGui::FindWindowByName("SplineScope");
        settings && settings->WasActive && !settings->Hidden && !narrow_layout()) {
      const float right = settings->Pos.x + settings->Size.x + 8.0f;
      if (w - right >= ui_px(480)) left = right;
    }
    const float width = std::min(w - left - 24.0f, ui_px(720));
    ImGui::SetNextWindowPos(ImVec2(left + 0.5f * (w - left), h - 10.0f), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
    // The width fixed, the height fitted to the text every frame (0: auto-fit that axis): a
    // longer caption after a lesson change is not cut to the last one's height.
    ImGui::SetNextWindowSize(ImVec2(width, 0), ImGuiCond_Always);
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, 0.4f * h));
    ImGui::SetNextWindowBgAlpha(0.82f);
    if (ImGui::Begin("##caption", nullptr, kOverlayFlags & ~ImGuiWindowFlags_AlwaysAutoResize)) {
      if (const Lesson* lesson = find_lesson(app.lesson); lesson && app.caption.empty())
        ImGui::TextUnformatted(lesson->title);
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(caption);
      // The lesson's claim, measured on its own run.
      const ClaimReading claim = lesson_claim();
      if (claim.measured) {
        const ImVec4 shown = app.light() ? ImVec4(0.0f, 0.45f, 0.25f, 1.0f) : ImVec4(0.35f, 0.85f, 0.55f, 1.0f);
        const ImVec4 not_yet = app.light() ? ImVec4(0.65f, 0.35f, 0.0f, 1.0f) : ImVec4(0.95f, 0.7f, 0.3f, 1.0f);
        ImGui::TextColored(claim.holds ? shown : not_yet, "%s %s",
                           claim.holds ? "Shown:" : "Not shown yet:", claim.measurement.c_str());
      }
      ImGui::PopTextWrapPos();
      app.caption_height = ImGui::GetWindowHeight() + 6.0f;
    }
    ImGui::End();
  }
  // A bare canvas still gets play and pause.
  if (!panel_shown(kPanelControls)) {
    ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.75f);
    if (ImGui::Begin("##play", nullptr, kOverlayFlags)) {
      if (ImGui::Button(app.playing ? "Pause" : "Play", ImVec2(ui_px(64), 0))) set_playing(!app.playing);
      ImGui::SameLine();
      ImGui::Text("step %lld", static_cast<long long>(shown_step()));
    }
    ImGui::End();
  }
  // An embedded page links to the full app with the same state.
  if (app.embed) {
    // Bottom right, above the caption: clear of the charts' title bar at the top right.
    ImGui::SetNextWindowPos(ImVec2(w - 10, h - 10 - app.caption_height), ImGuiCond_Always,
                            ImVec2(1.0f, 1.0f));
    ImGui::SetNextWindowBgAlpha(0.6f);
    if (ImGui::Begin("##open", nullptr, kOverlayFlags)) {
      if (ImGui::SmallButton("Open in SplineScope")) {
        PageState s = capture_page_state();
        s.embed = false;
        s.panels = kAllPanels;
        const std::string url = app.page_url + "#" + encode_page_state(s);
        EM_ASM({ window.open(UTF8ToString($0), '_blank', 'noopener'); }, url.c_str());
      }
    }
    ImGui::End();
  }
}

} // namespace splinescope
