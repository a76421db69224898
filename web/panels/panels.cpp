// panels.cpp - the ImGui panels: training controls and statistics, data, network, optimiser and
// view settings, charts, the divergence dialog, notices and the keyboard help.
#include "app.h"
#include "compare.h"
#include "charts.h"
#include "dataset_thumbnails.h"
#include "image_data.h"
#include "image_loader.h"
#include "layout.h"
#include "panel_text.h"
#include "colouring.h"
#include "curve_view.h"
#include "type.h"
#include "slice_view.h"
#include "view3d.h"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace splinescope {

namespace {

// A combo over an enum's names; returns true when the choice changed.
template <class Enum, std::size_t N>
bool enum_combo(const char* label, Enum* value, const Enum (&choices)[N]) {
  bool changed = false;
  if (ImGui::BeginCombo(label, to_string(*value))) {
    for (Enum choice : choices) {
      if (ImGui::Selectable(to_string(choice), choice == *value)) {
        changed = choice != *value;
        *value = choice;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

// Applies pending settings when a widget was released after an edit (sliders: on release, so a
// drag does not restart the network at every tick) or immediately for discrete widgets.
void commit_if(bool changed) {
  if (changed) apply_settings(app.pending);
}
bool released() { return ImGui::IsItemDeactivatedAfterEdit(); }

// What the highlighted neuron does in the view: dimmed while its line is drawn, orange when there
// is no line to see (dead, or its zero set outside the view). wrap_x: as PushTextWrapPos (0: the
// window's edge).
void neuron_note_text(float wrap_x = 0.0f) {
  if (app.pane().neuron_note.empty()) return;
  const bool drawn = app.pane().neuron_activity.crosses_region && app.pane().neuron_exact;
  ImGui::PushStyleColor(ImGuiCol_Text, drawn ? ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)
                                             : ImVec4(1.0f, 0.62f, 0.25f, 1.0f));
  ImGui::PushTextWrapPos(wrap_x);
  ImGui::TextUnformatted(app.pane().neuron_note.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

// A slider over a double setting. The value is written only when the user moves the slider, and
// then as the shortest decimal of the slider's float (0.1, not 0.10000000149011612), so links
// carry what the user set and an untouched setting keeps its exact value.
bool slider_real(const char* label, double* value, float lo, float hi, const char* format,
                 ImGuiSliderFlags flags = 0) {
  float shown = static_cast<float>(*value);
  if (!ImGui::SliderFloat(label, &shown, lo, hi, format, flags)) return false;
  *value = shortest_double(shown);
  return true;
}

// A data point drawn as points.frag draws it, centred in a text-line-high box at the cursor,
// followed by its label. kind: kTrainPoint, kTestPoint or kPlacedPoint.
void point_symbol(float kind, ImU32 fill, const char* label) {
  const float h = ImGui::GetTextLineHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 c(p.x + 0.5f * h, p.y + 0.5f * h + 1);
  const float r = 0.4f * h;
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImU32 dark = IM_COL32(20, 20, 20, 255);
  if (kind == kPlacedPoint) {
    const float d = 1.33f * r;
    list->AddQuadFilled(ImVec2(c.x + d, c.y), ImVec2(c.x, c.y + d), ImVec2(c.x - d, c.y),
                        ImVec2(c.x, c.y - d), fill);
    list->AddQuad(ImVec2(c.x + d, c.y), ImVec2(c.x, c.y + d), ImVec2(c.x - d, c.y),
                  ImVec2(c.x, c.y - d), dark, 1.5f);
  } else if (kind == kTestPoint) {
    list->AddCircleFilled(c, r, IM_COL32_WHITE);
    list->AddCircle(c, r, fill, 0, 1.5f);
  } else {
    list->AddCircleFilled(c, r, fill);
    list->AddCircle(c, r, dark, 0, 1.5f);
  }
  ImGui::Dummy(ImVec2(h, h));
  ImGui::SameLine(0, 2);
  ImGui::TextUnformatted(label);
}

// What the points' shapes and colours mean: train, test and placed points, and the classes
// (or, for regression, the target's colour ramp).
void points_legend() {
  const Split& data = app.pane().session->data();
  const bool regression = data.train.is_regression();
  if (app.pane().plane.on()) {
    // Image data: the classes by name (the stars are the plane's three images).
    const auto& names = fashion_mnist_class_names();
    for (int k = 0; k < data.train.classes && k < static_cast<int>(names.size()); ++k) {
      if (k % 3 != 0) ImGui::SameLine(0, 10);
      point_symbol(kTrainPoint, class_colour(k), names[k]);
    }
    return;
  }
  const ImU32 neutral = IM_COL32(150, 150, 160, 255); // shapes: the kind of point, any class
  point_symbol(kTrainPoint, neutral, "train");
  ImGui::SameLine(0, 10);
  point_symbol(kTestPoint, neutral, "test");
  ImGui::SameLine(0, 10);
  point_symbol(kPlacedPoint, neutral, "placed by you");
  if (regression) {
    ImGui::TextDisabled("target");
    ImGui::SameLine();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilledMultiColor(ImVec2(p.x, p.y + 2), ImVec2(p.x + 80, p.y + h),
                                                        class_colour(0), class_colour(1),
                                                        class_colour(1), class_colour(0));
    ImGui::Dummy(ImVec2(ui_px(80), h));
    ImGui::SameLine();
    ImGui::TextDisabled("-1 .. 1");
    return;
  }
  const int classes = std::max(2, data.train.classes);
  for (int k = 0; k < classes; ++k) {
    if (k % 4 != 0) ImGui::SameLine(0, 10);
    char label[16];
    std::snprintf(label, sizeof label, "class %d", k);
    point_symbol(kTrainPoint, class_colour(k), label);
  }
}

// The training pace on a log scale, 1 to 10,000 steps per second; the right end is "as fast as
// possible" (pace 0, where the speed of a link applies).
void pace_slider() {
  constexpr float kFastest = 4.3f; // log10 positions above 4 (10,000 steps/s) mean max
  float position = app.pace > 0 ? static_cast<float>(std::log10(app.pace)) : kFastest;
  char label[48];
  if (app.pace > 0)
    std::snprintf(label, sizeof label, app.pace == std::round(app.pace) ? "%.0f steps/s" : "%.1f steps/s",
                  app.pace);
  else
    std::snprintf(label, sizeof label, "fastest");
  if (ImGui::SliderFloat("##pace", &position, 0.0f, kFastest, label, ImGuiSliderFlags_NoInput)) {
    if (position > 4.05f) {
      app.pace = 0;
    } else {
      // Two significant figures: 1, 2, ... 9.5, 10, 11, ... 95, 100, 110, ...
      const double raw = std::pow(10.0, std::min(4.0f, position));
      const double unit = std::pow(10.0, std::floor(std::log10(raw)) - 1);
      app.pace = std::clamp(std::round(raw / unit) * unit, kMinPace, kMaxPace);
    }
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Training pace: optimiser steps per second (log scale).\n"
                      "Slow paces show the tiles forming; the right end trains as fast as\n"
                      "this machine goes. pace=max or pace=N in a link.");
}

void live_figures();

void controls_section() {
  training_buttons(false);
  live_figures();
}

// Step, epoch, steps/s, the losses and accuracies, the tile count and the frame rate.
void live_figures() {
  Session& s = *app.pane().session;

  // While replaying, every figure is the snapshot's: its step, its losses and accuracies.
  const bool replaying = app.pane().replay >= 0;
  const Metrics& train = replaying ? app.pane().replay_train : s.train_metrics();
  const Metrics& test = replaying ? app.pane().replay_test : s.test_metrics();
  if (ImGui::BeginTable("stats", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::Text("step %lld", static_cast<long long>(shown_step()));
    if (replaying) {
      ImGui::TableNextColumn(); ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "replay");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The canvas and these figures show the weights of step %lld.\n"
                          "Training stopped at step %lld; Play or \"live\" returns there.",
                          static_cast<long long>(shown_step()), static_cast<long long>(s.steps()));
      ImGui::TableNextColumn(); ImGui::TextDisabled(" ");
    } else {
      ImGui::TableNextColumn(); ImGui::Text("epoch %lld", static_cast<long long>(s.epochs()));
      ImGui::TableNextColumn(); ImGui::Text("%.0f steps/s", app.steps_per_second);
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::TextDisabled(" ");
    ImGui::TableNextColumn(); ImGui::TextDisabled("loss");
    ImGui::TableNextColumn(); ImGui::TextDisabled("accuracy");
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::Text("train");
    ImGui::TableNextColumn(); ImGui::Text("%s", format_loss(train.loss).c_str());
    ImGui::TableNextColumn(); ImGui::Text("%s", format_metric(train.accuracy, "%.3f").c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::Text("test");
    ImGui::TableNextColumn(); ImGui::Text("%s", format_loss(test.loss).c_str());
    ImGui::TableNextColumn(); ImGui::Text("%s", format_metric(test.accuracy, "%.3f").c_str());
    ImGui::EndTable();
  }
  if (train.n < s.data().train.size()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("figures over %lld of %lld train points%s", static_cast<long long>(train.n),
                        static_cast<long long>(s.data().train.size()),
                        replaying ? " (the first: a sample)" : app.playing ? " (a moving sample)" : "; all of them shortly");
    ImGui::PopTextWrapPos();
  }
  if (shows_curve(app.pane()))
    ImGui::Text("pieces %d, knots %d (exact)   %.0f fps", app.pane().curve.piece_count(),
                static_cast<int>(app.pane().curve.knots.size()), app.fps);
  else if (app.pane().tess.ok())
    ImGui::Text("tiles %d (exact)   %.0f fps", app.pane().grid_tiles, app.fps);
  else
    ImGui::Text("tiles %d (%dx%d grid)   %.0f fps", app.pane().grid_tiles, app.pane().grid_size, app.pane().grid_size,
                app.fps);
}

void data_section() {
  SessionConfig& p = app.pending;
  const DatasetInfo* info = find_dataset(p.data.name);
  if (const DatasetInfo* chosen = dataset_thumbnails(p.data.name, &app.dataset_thumbnail_rects)) {
    p.data.name = chosen->name;
    p.data.classes = 0; // the generator's default
    apply_settings(p);
    info = find_dataset(p.data.name);
  }
  if (ImGui::BeginCombo("dataset", p.data.name.c_str())) {
    for (const DatasetInfo& d : dataset_registry()) {
      if (ImGui::Selectable(d.name, p.data.name == d.name)) {
        p.data.name = d.name;
        p.data.classes = 0; // the generator's default
        apply_settings(p);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.description);
    }
    ImGui::EndCombo();
  }
  if (info && is_image_data(info->name)) {
    // Image data: the published images (no points, noise or split to set), and the plane.
    const ImageLoad& load = image_load();
    if (load.loading) ImGui::TextDisabled("Loading the images… %.1f MB", load.received / 1e6);
    image_plane_section(app.pane());
    int seed = static_cast<int>(p.seed);
    ImGui::InputInt("seed", &seed);
    if (released()) {
      p.seed = static_cast<std::uint64_t>(std::max(0, seed));
      apply_settings(p);
    }
    return;
  }
  if (info && !info->regression && info->max_classes > info->min_classes) {
    int classes = resolved_classes(p.data);
    ImGui::SliderInt("classes", &classes, info->min_classes, info->max_classes);
    p.data.classes = classes;
    commit_if(released());
  }
  ImGui::SliderInt("points", &p.data.n, 20, 2000);
  commit_if(released());
  slider_real("noise", &p.data.noise, 0.0f, 1.0f, "%.2f");
  commit_if(released());
  if (info && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", info->noise_note);
  slider_real("train fraction", &p.data.train_fraction, 0.05f, 1.0f, "%.2f");
  commit_if(released());
  int seed = static_cast<int>(p.seed);
  ImGui::InputInt("seed", &seed);
  if (released()) {
    p.seed = static_cast<std::uint64_t>(std::max(0, seed));
    apply_settings(p);
  }
  if (ImGui::Button("Regenerate")) {
    app.pane().session->regenerate();
    app.pending = page_settings();
    on_network_changed();
    on_data_changed();
  }
  if (!app.pane().session->data().train.is_regression()) {
    ImGui::SameLine();
    const int classes = std::max(2, app.pane().session->data().train.classes);
    app.add_class = std::min(app.add_class, classes - 1);
    // The class's own colour on the slider, so the choice reads as the points it adds.
    const ImU32 colour = class_colour(app.add_class);
    ImGui::PushStyleColor(ImGuiCol_SliderGrab, colour);
    ImGui::PushStyleColor(ImGuiCol_SliderGrabActive, colour);
    ImGui::SetNextItemWidth(ui_px(90));
    ImGui::SliderInt("##click adds", &app.add_class, 0, classes - 1, "class %d");
    ImGui::PopStyleColor(2);
    ImGui::SameLine(0, 4);
    point_symbol(kPlacedPoint, colour, "click adds");
  }
  if (ImGui::Checkbox("points", &app.pane().show_points)) on_data_changed();
  ImGui::SameLine();
  if (ImGui::Checkbox("test points", &app.pane().show_test)) on_data_changed();
  // Point edits: clear the points placed by hand, undo the last add/remove (Ctrl+Z).
  const int placed = app.pane().session->user_points().size();
  char clear_label[48];
  std::snprintf(clear_label, sizeof clear_label, "Clear placed points (%d)", placed);
  ImGui::BeginDisabled(placed == 0);
  if (ImGui::Button(clear_label)) clear_placed_points();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(app.pane().session->undoable_point_edits() == 0);
  if (ImGui::Button("Undo point edit")) undo_point_edit();
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Undo the last point added, removed, cleared or imported (Ctrl+Z)");
}

void network_section() {
  SessionConfig& p = app.pending;
  int layers = static_cast<int>(p.network.hidden.size());
  if (ImGui::SliderInt("hidden layers", &layers, 1, kMaxHiddenLayers))
    p.network.hidden.resize(layers, p.network.hidden.empty() ? 16 : p.network.hidden.back());
  commit_if(released());
  for (std::size_t l = 0; l < p.network.hidden.size(); ++l) {
    char label[32];
    std::snprintf(label, sizeof label, "width %zu", l + 1);
    ImGui::SliderInt(label, &p.network.hidden[l], 1, kMaxWidth);
    commit_if(released());
  }
  const Activation activations[] = {Activation::relu, Activation::leaky_relu, Activation::abs,
                                    Activation::linear};
  p.network.layer_activations.clear();
  commit_if(enum_combo("activation", &p.network.activation, activations));
  if (p.network.activation == Activation::leaky_relu) {
    slider_real("leaky slope", &p.network.leaky_alpha, 0.0f, 0.99f, "%.2f");
    commit_if(released());
  }
  commit_if(ImGui::Checkbox("batch norm", &p.network.batch_norm));
  const Init inits[] = {Init::he_normal, Init::he_uniform, Init::glorot_normal,
                        Init::glorot_uniform, Init::uniform};
  commit_if(enum_combo("init", &p.network.init, inits));
  const BiasInit biases[] = {BiasInit::zero, BiasInit::small, BiasInit::normal};
  commit_if(enum_combo("bias init", &p.network.bias_init, biases));
}

void optimiser_section() {
  SessionConfig& p = app.pending;
  const Optimizer optimizers[] = {Optimizer::sgd, Optimizer::momentum, Optimizer::adam,
                                  Optimizer::adamw};
  commit_if(enum_combo("optimiser", &p.train.optimizer, optimizers));
  slider_real("learning rate", &p.train.learning_rate, 1e-4f, 10.0f, "%.4g",
              ImGuiSliderFlags_Logarithmic);
  commit_if(released());
  ImGui::SliderInt("batch size", &p.train.batch_size, 1, 512, "%d", ImGuiSliderFlags_Logarithmic);
  commit_if(released());
  slider_real("L2", &p.train.l2, 0.0f, 0.1f, "%.4f", ImGuiSliderFlags_Logarithmic);
  commit_if(released());
  slider_real("L1", &p.train.l1, 0.0f, 0.1f, "%.4f", ImGuiSliderFlags_Logarithmic);
  commit_if(released());
}

// The edges checkbox, "by layer", and the legend of the layer colours when it is on.
void edges_row() {
  bool edges = app.pane().style.edge_width > 0;
  if (ImGui::Checkbox("edges", &edges)) {
    app.pane().style.edge_width = edges ? 1.0f : 0.0f;
    app.pane().tess_uploaded = false;
  }
  if (!edges) return;
  ImGui::SameLine();
  bool by_layer = app.pane().style.edge_colour == EdgeColour::layer;
  if (ImGui::Checkbox("by layer", &by_layer)) {
    app.pane().style.edge_colour = by_layer ? EdgeColour::layer : EdgeColour::mono;
    app.pane().tess_uploaded = false;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Draw each edge in the colour of the hidden layer whose neuron made it\n"
                      "(Okabe-Ito colours, readable with colour blindness). Exact tiles: the\n"
                      "neuron that cut the edge; per-pixel view: the layer of the nearest\n"
                      "neuron's zero set, the same edges. The window's border is no edge.");
  if (!by_layer) return;
  const int hidden = shown_network().hidden_layers();
  ImDrawList* list = ImGui::GetWindowDrawList();
  for (int l = 0; l < hidden; ++l) {
    ImGui::SameLine(0, l == 0 ? 10.0f : 4.0f);
    const Rgb c = layer_colour(l);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    char label[4];
    std::snprintf(label, sizeof label, "%d", l + 1);
    const float w = ImGui::CalcTextSize(label).x + 8.0f;
    // A swatch with the layer's number, outlined so that black reads on the dark panel.
    const ImVec2 a(p.x, p.y + 1), b(p.x + w, p.y + h + 1);
    list->AddRectFilled(a, b, ImColor(c.r, c.g, c.b), 2.0f);
    list->AddRect(a, b, IM_COL32(200, 200, 200, 160), 2.0f);
    const bool light = 0.299f * c.r + 0.587f * c.g + 0.114f * c.b > 0.55f;
    ImGui::Dummy(ImVec2(w, h));
    list->AddText(ImVec2(p.x + 4, p.y + 1), light ? IM_COL32(0, 0, 0, 255) : IM_COL32_WHITE,
                  label);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("edges made by layer %d", l + 1);
  }
}

void view_section() {
  const int hidden = shown_network().hidden_layers();
  int shown = app.pane().style.code_layers < 0 ? hidden : std::min(app.pane().style.code_layers, hidden);
  if (ImGui::SliderInt("layers coloured", &shown, 1, hidden))
    app.pane().style.code_layers = shown >= hidden ? -1 : shown;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Colour tiles by the codes of layers 1..l only: watch each layer subdivide\n"
                      "the tiles of the layers before it (keys 1-9).");
  if (ImGui::Checkbox("exact tiles", &app.pane().render_exact)) app.pane().tess_uploaded = false;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("On: draw the engine's exact tiles as polygons (fast, exact edges).\n"
                      "Off: evaluate the network for every pixel in a shader.\n"
                      "Colouring by fewer layers, or more tiles than the budget, uses pixels.");
  ImGui::SameLine();
  bool boundary = app.pane().style.boundary_width > 0;
  if (ImGui::Checkbox("decision boundary", &boundary))
    app.pane().style.boundary_width = boundary ? 2.5f : 0.0f;
  edges_row();
  points_legend();
  ImGui::SliderInt("neuron layer", &app.pane().highlight_layer, 0, hidden, app.pane().highlight_layer ? "%d" : "none");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Draw one neuron's zero set: a line for layer 1, a bent line (bending where\n"
                      "it crosses the boundaries of earlier layers) deeper in the network.");
  if (app.pane().highlight_layer > 0) {
    const int width = shown_network().layers[app.pane().highlight_layer - 1].width();
    app.pane().highlight_unit = std::min(app.pane().highlight_unit, width - 1);
    ImGui::SliderInt("neuron", &app.pane().highlight_unit, 0, width - 1);
    neuron_note_text();
  }
  static const ColorMode modes[] = {ColorMode::code_hash, ColorMode::gradient_norm,
                                   ColorMode::output, ColorMode::class_blend};
  enum_combo("colour", &app.pane().style.color_mode, modes);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("code: one colour per activation code.\n"
                      "gradient: ‖A_ω‖ of the chosen output on each tile (viridis; 95th percentile\n"
                      "  over the view at the top).\n"
                      "output: the output's value (regression), its confidence (classes).\n"
                      "class: the code colour blended with the predicted class.");
  const int outputs = shown_network().outputs();
  if (outputs > 1) {
    int output = std::min(app.pane().style.output_index, outputs - 1);
    if (ImGui::SliderInt("output", &output, 0, outputs - 1)) app.pane().style.output_index = output;
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("The logit shown by the gradient colours and the 3-D surface.");
  }
  if (app.pane().session->config().network.batch_norm) {
    ImGui::Checkbox("batch statistics", &app.pane().batch_statistics);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Batch norm as training sees it: the statistics of one training batch, a new\n"
                        "batch twice a second, so the tiles shake from batch to batch. Off: the\n"
                        "running averages, the network as it is evaluated.");
    if (app.pane().batch_statistics && std::isfinite(app.pane().batch_jitter)) {
      ImGui::SameLine();
      ImGui::TextDisabled("%.0f %% of the view moves", 100 * app.pane().batch_jitter);
    }
  }
  bool view_3d = app.pane().view_3d;
  if (ImGui::Checkbox("3-D (V)", &view_3d)) switch_view_3d(view_3d);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The surface f(x) over the plane: one flat facet per tile. Drag to orbit,\n"
                      "wheel to move closer.");
  ImGui::SameLine();
  if (ImGui::Button("Fit view (F)")) fit_the_view();
  if (app.pane().view_3d) ImGui::TextDisabled("%s", view_3d_status(app.pane()));
  if (panel_shown(kPanelGraph)) {
    bool graph = graph_open();
    if (ImGui::Checkbox("network graph (G)", &graph)) app.graph_choice = graph ? 1 : 0;
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("The network as a graph: what each neuron computes over the view, links\n"
                        "coloured by their weights, and the code at the cursor lit up.");
  }
  if (!panel_shown(kPanelInspector)) return;
  ImGui::Checkbox("inspector (I)", &app.show_inspector);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Hover the canvas: the code of the tile under the cursor, its affine piece\n"
                      "f(x) = A x + c and every neuron's pre-activation.");
  ImGui::SameLine();
  ImGui::Checkbox("pinned (P)", &app.inspector_open);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The Inspector window: P over the canvas pins the point under the cursor.\n"
                      "It shows the code, A_ω and c_ω, f(x), the tile and every neuron's\n"
                      "pre-activation, live while training; click a neuron to draw its bent\n"
                      "hyperplane.");
}

// How the page looks: the size of its text and controls, and its colours.
void display_section() {
  // Applied on release: the panels change size with it, and would move under the cursor.
  static float ui_scale = 0;
  if (!ImGui::IsAnyItemActive()) ui_scale = app.ui_scale;
  if (ImGui::SliderFloat("interface size", &ui_scale, kMinUiScale, kMaxUiScale, "%.2fx"))
    ui_scale = std::round(ui_scale * 20.0f) / 20.0f;
  if (ImGui::IsItemDeactivatedAfterEdit()) app.ui_scale = ui_scale;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The size of the text and controls (1.5x for a projector); ui_scale in a link.");
  static const Theme themes[] = {Theme::automatic, Theme::light, Theme::dark};
  enum_combo("theme", &app.theme, themes);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Colours: light for slides and print (exports follow), dark, or auto:\n"
                      "the reader's system setting.");
}

ImVec2 to_screen(const Eigen::Vector2d& p, const Pane& pane) {
  const Canvas& c = pane.canvas;
  return ImVec2(static_cast<float>(c.css_x + (p.x() - pane.view.x0) / pane.view.width() * c.css_width),
                static_cast<float>(c.css_y + (pane.view.y1 - p.y()) / pane.view.height() * c.css_height));
}

// Whole-pixel thicknesses let ImGui draw anti-aliased lines from 2 textured triangles per segment
// rather than 6.
void draw_polyline(ImDrawList* list, const Pane& pane, const std::vector<Eigen::Vector2d>& points,
                   bool closed, ImU32 colour, float thickness) {
  std::vector<ImVec2> screen;
  screen.reserve(points.size());
  for (const Eigen::Vector2d& p : points) screen.push_back(to_screen(p, pane));
  list->AddPolyline(screen.data(), static_cast<int>(screen.size()), colour,
                    closed ? ImDrawFlags_Closed : ImDrawFlags_None, thickness);
}

// Exact overlays from one pane's tessellation, drawn under the panels: the decision boundary,
// the chosen neuron's bent hyperplane and the outline of the tile under the cursor.
void pane_overlays(const Pane& pane) {
  ImDrawList* list = ImGui::GetBackgroundDrawList();
  const Canvas& c = pane.canvas;
  list->PushClipRect(ImVec2(static_cast<float>(c.css_x), static_cast<float>(c.css_y)),
                     ImVec2(static_cast<float>(c.css_x + c.css_width), static_cast<float>(c.css_y + c.css_height)));
  if (shows_curve(pane)) {
    CurveLook look;
    look.light = app.light();
    look.edge_width = pane.style.edge_width;
    look.boundary = pane.style.boundary_width > 0;
    draw_curve(pane, c, list, look);
    list->PopClipRect();
    return;
  }
  if (!pane.tess.ok() || pane.view_3d) {
    draw_plane_stars(pane, list);
    list->PopClipRect();
    return;
  }
  // Exact view: the decision boundary comes from the tessellation (the per-pixel view draws its
  // own in the shader).
  if (pane.render_exact && pane.style.code_layers < 0 && pane.style.boundary_width > 0)
    for (const Polyline& line : pane.boundary.polylines)
      draw_polyline(list, pane, line.points, line.closed, IM_COL32(13, 13, 20, 255),
                    std::max(1.0f, std::round(pane.style.boundary_width)));
  // The highlighted neuron in orange on a dark casing: it stays apart from orange tiles and from
  // layer 2's vermillion edges. The one hovered in the network graph in white, on the same casing.
  const Network& net = pane.shown_network();
  const int hidden = net.hidden_layers();
  const auto neuron_line = [&](int layer, int unit, ImU32 colour) {
    if (layer < 1 || layer > std::min(hidden, pane.tess.depth)) return;
    if (unit >= net.layers[layer - 1].width()) return;
    const std::vector<Polyline> lines = neuron_zero_set(pane.tess, layer - 1, unit);
    for (const Polyline& line : lines)
      draw_polyline(list, pane, line.points, line.closed, IM_COL32(13, 13, 20, 255), 5.0f);
    for (const Polyline& line : lines) draw_polyline(list, pane, line.points, line.closed, colour, 3.0f);
  };
  neuron_line(pane.highlight_layer, pane.highlight_unit, IM_COL32(255, 120, 20, 255));
  if (pane.preview_layer != pane.highlight_layer || pane.preview_unit != pane.highlight_unit)
    neuron_line(pane.preview_layer, pane.preview_unit, IM_COL32(250, 250, 255, 255));
  const ImGuiIO& io = ImGui::GetIO();
  if (pane.locator && app.show_inspector && app.mouse_over_canvas && !io.WantCaptureMouse &&
      c.contains(io.MousePos.x, io.MousePos.y)) {
    double x, y;
    pane.canvas_to_world(c, io.MousePos.x, io.MousePos.y, &x, &y);
    const int t = pane.locator->locate(Eigen::Vector2d(x, y));
    if (t >= 0) draw_polyline(list, pane, pane.tess.polygon(t), true, IM_COL32(255, 255, 255, 230), 2.0f);
  }
  draw_plane_stars(pane, list);
  list->PopClipRect();
}

void geometry_overlays() {
  for (const auto& pane : app.panes) pane_overlays(*pane);
  pane_labels(app.panes, ImGui::GetBackgroundDrawList(), app.light());
}

// A network of one input at the cursor's x: the piece's code, slope and intercept, and f.
void curve_tooltip(const Pane& pane, double x) {
  const int k = curve_piece_at(pane, x);
  if (k < 0) return;
  const Piece1d& p = pane.curve.pieces[k];
  const Eigen::VectorXd f = pane.curve.evaluate(x); // (C)
  ImGui::BeginTooltip();
  ImGui::Text("x = %.4f", x);
  Eigen::MatrixXd X(1, 1); // (1, 1)
  X(0, 0) = x;
  const std::string code = activation_codes(pane.shown_network(), X)[0].to_string(pane.shown_network());
  ImGui::Text("code  %s", code.c_str());
  for (Eigen::Index c = 0; c < f.size(); ++c) {
    if (f.size() == 1)
      ImGui::Text("f(x) = %.4f = %.4f x %+.4f", f(c), p.slope(c), p.intercept(c));
    else
      ImGui::Text("f%d(x) = %.4f = %.4f x %+.4f", static_cast<int>(c), f(c), p.slope(c), p.intercept(c));
  }
  if (f.size() == 1 && !pane.session->data().train.is_regression())
    ImGui::TextDisabled("p(class 1) = %.3f", 1.0 / (1.0 + std::exp(-f(0))));
  ImGui::TextDisabled("piece %d of %d: [%.4f, %.4f], slope %.4f", k + 1, pane.curve.piece_count(),
                      p.t0, p.t1, p.slope(std::clamp(pane.style.output_index, 0, static_cast<int>(f.size()) - 1)));
  ImGui::TextDisabled("%d knots in the view", static_cast<int>(pane.curve.knots.size()));
  ImGui::EndTooltip();
}

// What the network does at the cursor: the tile's code, its affine piece and the output.
void inspector_tooltip() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse || app.dragging || !app.show_inspector || !app.mouse_over_canvas ||
      app.pane().view_3d)
    return;
  const ImVec2 m = io.MousePos;
  if (m.x < 0 || m.y < 0 || m.x >= app.css_width || m.y >= app.css_height) return;
  // The pane under the cursor (compare mode: each its own network).
  const Pane& pane = *app.panes[std::max(0, pane_at(app.panes, m.x, m.y))];
  double x, y;
  pane.canvas_to_world(pane.canvas, m.x, m.y, &x, &y);
  if (shows_curve(pane)) return curve_tooltip(pane, x);
  const Network& net = pane.shown_network();
  if (net.input_dim != 2) return;
  Eigen::MatrixXd X(2, 1); // (2, 1)
  X << x, y;
  const ForwardGeometry g = forward_geometry(net, X);
  ImGui::BeginTooltip();
  if (pane.plane.on()) {
    // Image data: the image at this point of the plane, and what the network makes of it.
    ImGui::Text("(u, w) = (%.3f, %.3f): the image here", x, y);
    plane_point_rows(pane, x, y, ui_px(112));
    ImGui::TextDisabled("P: pin it in the Inspector window");
    ImGui::EndTooltip();
    return;
  }
  ImGui::Text("x = (%.3f, %.3f)", x, y);
  const std::string code = g.codes[0].to_string(net);
  ImGui::Text("code  %s", code.c_str());
  const Eigen::MatrixXd& A = g.A[0]; // (C, 2)
  for (Eigen::Index c = 0; c < A.rows(); ++c) {
    if (A.rows() == 1)
      ImGui::Text("f(x) = %.4f = %.4f x₁ %+.4f x₂ %+.4f", g.output(0, 0), A(0, 0), A(0, 1), g.c(0, 0));
    else
      ImGui::Text("f%d(x) = %.4f = %.4f x₁ %+.4f x₂ %+.4f", static_cast<int>(c), g.output(c, 0),
                  A(c, 0), A(c, 1), g.c(c, 0));
  }
  if (A.rows() == 1 && !pane.session->data().train.is_regression())
    ImGui::TextDisabled("p(class 1) = %.3f", 1.0 / (1.0 + std::exp(-g.output(0, 0))));
  ImGui::TextDisabled("‖A_ω‖ = %.4f (slope of the affine piece)", A.norm());
  if (pane.locator) {
    const int t = pane.locator->locate(Eigen::Vector2d(x, y));
    if (t >= 0)
      ImGui::TextDisabled("tile %d of %d: area %.4g, %d corners", t + 1, pane.tess.tile_count(),
                          pane.tess.tiles[t].area, pane.tess.tiles[t].corner_count);
  }
  ImGui::Separator();
  for (std::size_t l = 0; l < g.pre.size(); ++l) {
    std::string line;
    char buf[24];
    for (Eigen::Index k = 0; k < g.pre[l].rows() && k < 12; ++k) {
      std::snprintf(buf, sizeof buf, "%+.2f ", g.pre[l](k, 0));
      line += buf;
    }
    if (g.pre[l].rows() > 12) line += "...";
    ImGui::TextDisabled("h%zu: %s", l + 1, line.c_str());
  }
  ImGui::Separator();
  ImGui::TextDisabled("P: pin this point in the Inspector window");
  ImGui::EndTooltip();
}

// The pinned point on the canvas: a ring with a dot, readable over any tile colour.
void pinned_marker() {
  if (!app.inspector_open || !app.inspector_pinned || app.pane().view_3d) return;
  ImDrawList* list = ImGui::GetBackgroundDrawList();
  const ImVec2 c = to_screen(Eigen::Vector2d(app.pin_x, app.pin_y), app.pane());
  list->AddCircle(c, 8.0f, IM_COL32(20, 20, 28, 255), 24, 4.0f);
  list->AddCircle(c, 8.0f, IM_COL32(255, 255, 255, 255), 24, 2.0f);
  list->AddCircleFilled(c, 2.5f, IM_COL32(20, 20, 28, 255));
}

// The colour of a neuron cell: blue for h < 0, orange for h > 0 (Okabe-Ito), stronger for
// larger |h| relative to the layer's largest; grey for h = 0.
ImU32 pre_activation_colour(double h, double scale) {
  if (!(std::abs(h) > 0)) return IM_COL32(110, 110, 110, 255);
  const float t = static_cast<float>(std::clamp(std::abs(h) / std::max(scale, 1e-12), 0.0, 1.0));
  const float strength = 0.35f + 0.65f * std::sqrt(t);
  const Rgb base = h > 0 ? Rgb{0.902f, 0.624f, 0.0f} : Rgb{0.0f, 0.447f, 0.698f};
  const float grey = 0.22f;
  return ImColor(grey + strength * (base.r - grey), grey + strength * (base.g - grey),
                 grey + strength * (base.b - grey));
}

// Every neuron's pre-activation at the pinned point, one row of cells per hidden layer (wrapped
// at kCellsPerRow); a click selects the neuron whose bent hyperplane is drawn.
void neuron_grid(const ForwardGeometry& g) {
  constexpr int kCellsPerRow = 16;
  constexpr float kCell = 15.0f, kGap = 3.0f;
  ImDrawList* list = ImGui::GetWindowDrawList();
  app.inspector_rows.clear();
  app.inspector_pitch = kCell + kGap;
  app.inspector_per_row = kCellsPerRow;
  for (std::size_t l = 0; l < g.pre.size(); ++l) {
    const Eigen::MatrixXd& h = g.pre[l]; // (n_l, 1)
    const int width = static_cast<int>(h.rows());
    const double scale = h.cwiseAbs().maxCoeff();
    ImGui::AlignTextToFramePadding();
    ImGui::Text("h%zu", l + 1);
    ImGui::SameLine(34);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    app.inspector_rows.emplace_back(origin.x, origin.y);
    ImGui::BeginGroup();
    for (int k = 0; k < width; ++k) {
      if (k % kCellsPerRow != 0) ImGui::SameLine(0, kGap);
      ImGui::PushID(static_cast<int>(l * 1000 + k));
      const ImVec2 p = ImGui::GetCursorScreenPos();
      if (ImGui::InvisibleButton("cell", ImVec2(kCell, kCell))) {
        const bool selected = app.pane().highlight_layer == static_cast<int>(l) + 1 &&
                              app.pane().highlight_unit == k;
        app.pane().highlight_layer = selected ? 0 : static_cast<int>(l) + 1;
        app.pane().highlight_unit = selected ? 0 : k;
      }
      const ImVec2 q(p.x + kCell, p.y + kCell);
      list->AddRectFilled(p, q, pre_activation_colour(h(k, 0), scale), 2.0f);
      const bool selected = app.pane().highlight_layer == static_cast<int>(l) + 1 &&
                            app.pane().highlight_unit == k;
      if (selected) {
        list->AddRect(ImVec2(p.x - 1.5f, p.y - 1.5f), ImVec2(q.x + 1.5f, q.y + 1.5f),
                      IM_COL32(255, 255, 255, 255), 3.0f, 0, 2.5f);
      } else if (ImGui::IsItemHovered()) {
        list->AddRect(p, q, IM_COL32(255, 255, 255, 150), 2.0f);
      }
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("layer %zu, neuron %d: h = %+.4f (%s)\n%s", l + 1, k, h(k, 0),
                          h(k, 0) > 0 ? "on" : "off",
                          selected ? "click: hide its bent hyperplane"
                                   : "click: draw its bent hyperplane");
      ImGui::PopID();
    }
    ImGui::EndGroup();
  }
}

// The pinned Inspector: the code, the affine piece, the output, the tile and the neurons at one
// point, recomputed every frame from the network shown (so it follows training and replay).
void inspector_window() {
  app.inspector_rows.clear();
  if (!app.inspector_open) return;
  // Bottom left of the canvas, right of the settings panel: clear of the charts (top right).
  ImGui::SetNextWindowPos(ImVec2(std::max(0.0f, std::min(ui_px(354), app.css_width - ui_px(330))),
                                 app.css_height - 12.0f),
                          ImGuiCond_FirstUseEver, ImVec2(0.0f, 1.0f));
  if (!ImGui::Begin("Inspector", &app.inspector_open, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  // Keep it on the canvas: it grows as its contents settle (and with deeper networks).
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  const ImVec2 fitted(std::max(0.0f, std::min(pos.x, app.css_width - size.x)),
                      std::max(0.0f, std::min(pos.y, app.css_height - size.y)));
  if (fitted.x != pos.x || fitted.y != pos.y) ImGui::SetWindowPos(fitted);
  if (!app.inspector_pinned) {
    ImGui::TextDisabled("Press P with the cursor over the canvas\nto pin a point here.");
    ImGui::End();
    return;
  }
  if (shows_curve(app.pane())) {
    ImGui::TextDisabled("A network of one input: hover the curve.");
    ImGui::End();
    return;
  }
  const Network& net = shown_network();
  if (net.input_dim != 2) {
    ImGui::End();
    return;
  }
  Eigen::MatrixXd X(2, 1); // (2, 1)
  X << app.pin_x, app.pin_y;
  const ForwardGeometry g = forward_geometry(net, X);
  ImGui::Text(app.pane().plane.on() ? "(u, w) = (%.4f, %.4f)" : "x = (%.4f, %.4f)", app.pin_x, app.pin_y);
  ImGui::SameLine();
  if (ImGui::SmallButton("unpin")) app.inspector_pinned = false;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("P over the canvas pins another point.");
  if (app.pane().plane.on()) plane_point_rows(app.pane(), app.pin_x, app.pin_y, ui_px(168));
  neuron_note_text(ImGui::GetCursorPosX() + 300.0f);

  // Code, bits per layer, wrapped at 32 bits.
  const std::string code = g.codes[0].to_string(net);
  std::size_t start = 0;
  for (int l = 0; start <= code.size(); ++l) {
    std::size_t end = code.find('.', start);
    if (end == std::string::npos) end = code.size();
    const std::string bits = code.substr(start, end - start);
    for (std::size_t i = 0; i < bits.size(); i += 32) {
      if (i == 0)
        ImGui::Text("code %d  %s", l + 1, bits.substr(i, 32).c_str());
      else
        ImGui::Text("        %s", bits.substr(i, 32).c_str());
    }
    start = end + 1;
  }

  // The affine piece A_ω x + c_ω and f(x), one row per output.
  const Eigen::MatrixXd& A = g.A[0]; // (C, 2)
  if (ImGui::BeginTable("piece", 4, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn(" ");
    ImGui::TableSetupColumn("f(x)");
    ImGui::TableSetupColumn("A_ω");
    ImGui::TableSetupColumn("c_ω");
    ImGui::TableHeadersRow();
    for (Eigen::Index c = 0; c < A.rows(); ++c) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text(A.rows() == 1 ? "f" : "f%d", static_cast<int>(c));
      ImGui::TableNextColumn();
      ImGui::Text("%+.4f", g.output(c, 0));
      ImGui::TableNextColumn();
      ImGui::Text("(%+.4f, %+.4f)", A(c, 0), A(c, 1));
      ImGui::TableNextColumn();
      ImGui::Text("%+.4f", g.c(c, 0));
    }
    ImGui::EndTable();
  }
  if (A.rows() == 1 && !app.pane().session->data().train.is_regression())
    ImGui::TextDisabled("p(class 1) = %.3f", 1.0 / (1.0 + std::exp(-g.output(0, 0))));
  int t = -1;
  if (app.pane().locator) t = app.pane().locator->locate(Eigen::Vector2d(app.pin_x, app.pin_y));
  if (t >= 0)
    ImGui::Text("tile %d of %d: area %.4g, %d corners", t + 1, app.pane().tess.tile_count(),
                app.pane().tess.tiles[t].area, app.pane().tess.tiles[t].corner_count);
  else
    ImGui::TextDisabled(app.pane().tess.ok() ? "tile: outside the view" : "tile: not tessellated");
  ImGui::Separator();
  ImGui::TextDisabled("pre-activations h (orange > 0, blue < 0);\nclick a neuron to draw its "
                      "bent hyperplane");
  neuron_grid(g);
  ImGui::End();
}

void divergence_dialog() {
  Session& s = *app.pane().session;
  if (!s.diverged()) return;
  ImGui::SetNextWindowPos(ImVec2(app.css_width * 0.5f, app.css_height * 0.35f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(ui_px(380), app.css_width - 24.0f), 0));
  ImGui::Begin("Training diverged", nullptr,
               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize);
  ImGui::TextWrapped("%s", s.divergence_message().c_str());
  ImGui::TextWrapped("Training is paused. The weights shown are the last good ones.");
  if (ImGui::Button("Restore and lower the learning rate")) {
    s.restore_last_good();
    app.pending.train.learning_rate = std::max(1e-5, app.pending.train.learning_rate * 0.1);
    apply_settings(app.pending);
    on_network_changed();
  }
  if (ImGui::Button("Restore last good weights")) {
    s.restore_last_good();
    on_network_changed();
  }
  ImGui::SameLine();
  if (ImGui::Button("Reset network")) {
    s.restore_last_good();
    s.reset();
    on_network_changed();
  }
  ImGui::End();
}

void notice_overlay() {
  if (app.notice.empty() || emscripten_get_now() > app.notice_until) return;
  // Above the caption band when there is one.
  ImGui::SetNextWindowPos(ImVec2(app.css_width * 0.5f, app.css_height - 16.0f - app.caption_height),
                          ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowBgAlpha(0.9f);
  ImGui::Begin("##notice", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.4f, 1.0f), "%s", app.notice.c_str());
  ImGui::End();
}

void help_window() {
  if (!app.show_help) return;
  ImGui::SetNextWindowPos(ImVec2(app.css_width * 0.5f, app.css_height * 0.5f), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  ImGui::Begin("Keys and mouse", &app.show_help, ImGuiWindowFlags_AlwaysAutoResize);
  const char* rows[][2] = {{"Space", "play / pause"},       {"S", "one training step"},
                           {"R", "reset the network"},      {"F", "fit the view"},
                           {"1-9", "colour by layers 1..l"}, {"H", "this help"},
                           {"I", "inspector on / off"},     {"V", "3-D surface on / off"},
                           {"G", "network graph on / off"},
                           {"P", "pin the Inspector on the point under the cursor"},
                           {"drag", "pan (3-D: orbit)"},    {"wheel", "zoom"},
                           {"click", "add a point"},        {"right / shift-click", "remove a point"}};
  for (const auto& r : rows) {
    ImGui::Text("%-20s", r[0]);
    ImGui::SameLine(170);
    ImGui::TextDisabled("%s", r[1]);
  }
  ImGui::End();
}

} // namespace

void training_buttons(bool compact) {
  // On a narrow screen a row wraps where the next button would not fit.
  auto next = [&](float width) {
    if (compact && ImGui::GetContentRegionAvail().x < width + ImGui::GetStyle().ItemSpacing.x)
      return;
    ImGui::SameLine();
  };
  const auto width_of = [](const char* label) {
    return ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
  };
  if (ImGui::Button(app.playing ? "Pause" : "Play", ImVec2(ui_px(70), 0))) set_playing(!app.playing);
  next(width_of("Step"));
  if (ImGui::Button("Step")) train_steps(1);
  next(width_of("Reset"));
  if (ImGui::Button("Reset")) {
    reset_run();
  }
  if (compact) {
    const unsigned settings =
        kPanelData | kPanelNetwork | kPanelOptimizer | kPanelView | kPanelExport | kPanelControls;
    auto toggle = [&](const char* label, Sheet sheet) {
      next(width_of(label));
      const bool open = app.sheet == sheet;
      if (open) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      if (ImGui::Button(label)) app.sheet = open ? Sheet::none : sheet;
      if (open) ImGui::PopStyleColor();
    };
    if (app.panels & settings) toggle("Settings", Sheet::settings);
    if (panel_shown(kPanelCharts)) toggle("Charts", Sheet::charts);
    ImGui::SetNextItemWidth(-1);
  } else {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
  }
  pace_slider();
}

bool graph_open() {
  if (app.graph_choice >= 0) return app.graph_choice != 0;
  return !narrow_layout() && app.css_width >= kGraphMinWidth && app.css_height >= kGraphMinHeight;
}

namespace {
constexpr double kGraphBusyMs = 5.0; // a frame's geometry refresh beyond which the graph's waits

// The network graph, at the bottom right (under the charts), as wide as the charts.
void graph_window() {
  const ImGuiIO& io = ImGui::GetIO();
  Eigen::Vector2d cursor, pinned(app.pin_x, app.pin_y);
  const bool over_canvas = app.mouse_over_canvas && !io.WantCaptureMouse && !app.pane().view_3d &&
                           !app.dragging;
  if (over_canvas) canvas_to_world(io.MousePos.x, io.MousePos.y, &cursor.x(), &cursor.y());
  GraphInput input;
  input.cursor = over_canvas ? &cursor : nullptr;
  input.pinned = app.inspector_open && app.inspector_pinned ? &pinned : nullptr;
  input.playing = app.playing;
  input.now_ms = emscripten_get_now();
  input.right = app.css_width - 12.0f;
  input.bottom = app.css_height - 12.0f - app.caption_height;
  input.max_width = std::min(ui_px(306), 0.4f * app.css_width);
  // Under the charts when they show (drawn before it in this frame), less its title and notes.
  // Too little room there (a short screen that asked for the graph): beside the charts instead.
  float room = 0.38f * app.css_height;
  if (const ImGuiWindow* charts = ImGui::FindWindowByName("Charts"); charts && charts->Active) {
    room = input.bottom - (charts->Pos.y + charts->Size.y) - 12.0f - 4.5f * ImGui::GetFrameHeightWithSpacing();
    if (room < ui_px(120)) {
      input.right = charts->Pos.x - 8.0f;
      room = 0.38f * app.css_height;
    }
  }
  input.max_height = std::clamp(room, ui_px(120), ui_px(280));
  input.light = app.light();
  input.busy = app.frame_geometry_ms > kGraphBusyMs;
  bool open = true;
  network_graph_window(app.graph, app.pane(), input, &open);
  if (!open) app.graph_choice = 0;
}
} // namespace

void pin_inspector(double x, double y) {
  app.pin_x = x;
  app.pin_y = y;
  app.inspector_pinned = true;
  app.inspector_open = true;
}

void draw_panels() {
  const unsigned main_sections =
      kPanelControls | kPanelData | kPanelNetwork | kPanelOptimizer | kPanelView | kPanelExport;
  app.dataset_thumbnail_rects.clear(); // drawn again below while the Data section is open
  const bool narrow = narrow_layout();
  // Back on a wide screen (a phone turned, a window widened): the panels return to their places.
  const ImGuiCond placed = app.was_narrow && !narrow ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  app.was_narrow = narrow;
  if (narrow) top_bar();
  if ((app.panels & main_sections) && (!narrow || app.sheet == Sheet::settings)) {
    bool open = true;
    if (narrow) {
      place_sheet();
      ImGui::Begin("SplineScope", &open, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                            ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings);
    } else {
      // As tall as its open sections, up to the canvas height (then it scrolls).
      ImGui::SetNextWindowPos(ImVec2(12, 12), placed);
      const float width = std::min(ui_px(330), app.css_width - 24.0f);
      ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0),
                                          ImVec2(width, std::max(120.0f, app.css_height - 24.0f)));
      ImGui::Begin("SplineScope", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    }
    if (!open) app.sheet = Sheet::none;
    if (narrow) touch_scroll();
    ImGui::PushItemWidth(-ui_px(130)); // room for the labels
    if (panel_shown(kPanelControls)) {
      if (narrow)
        live_figures(); // the buttons are in the bar
      else
        controls_section();
    }
    if (panel_shown(kPanelData) && ImGui::CollapsingHeader("Data")) data_section();
    if (panel_shown(kPanelNetwork) && ImGui::CollapsingHeader("Network")) network_section();
    if (panel_shown(kPanelOptimizer) && ImGui::CollapsingHeader("Optimiser")) optimiser_section();
    if (panel_shown(kPanelNetwork) && panel_shown(kPanelOptimizer) &&
        ImGui::CollapsingHeader("Compare", app.panes.size() > 1 && !app.embed ? ImGuiTreeNodeFlags_DefaultOpen : 0))
      compare_section();
    if (panel_shown(kPanelView) &&
        ImGui::CollapsingHeader("View", app.embed ? 0 : ImGuiTreeNodeFlags_DefaultOpen))
      view_section();
    if (panel_shown(kPanelView) && ImGui::CollapsingHeader("Display")) display_section();
    if (panel_shown(kPanelExport) && ImGui::CollapsingHeader("Export")) export_section();
    if (!app.embed) {
      if (ImGui::Button("Share / embed")) app.show_share = !app.show_share;
      if (panel_shown(kPanelLessons)) {
        ImGui::SameLine();
        if (ImGui::Button("Lessons")) app.show_lessons = !app.show_lessons;
      }
      ImGui::TextDisabled(app.pane().style.color_mode == ColorMode::code_hash
                              ? "Each colour is one activation code: a tile\nwhere the network is affine. H: help"
                              : "Each tile is a region where the network is\naffine. H: help");
    }
    ImGui::PopItemWidth();
    ImGui::End();
  }
  if (panel_shown(kPanelCharts) && (!narrow || app.sheet == Sheet::charts)) {
    charts_window(narrow ? ChartsPlace::sheet : placed == ImGuiCond_Always ? ChartsPlace::reset
                                                                          : ChartsPlace::first_use);
  } else {
    app.charts_drawn.clear();
    app.chart_rects.clear();
  }
  if (panel_shown(kPanelGraph) && graph_open()) {
    graph_window();
  } else {
    app.graph.nodes.clear();
    app.graph.links.clear();
    app.pane().preview_layer = 0;
  }
  geometry_overlays();
  if (panel_shown(kPanelInspector)) {
    inspector_tooltip();
    inspector_window();
    pinned_marker();
  } else {
    app.inspector_rows.clear();
  }
  draw_image_load(0, 0, static_cast<float>(app.css_width), static_cast<float>(app.css_height));
  divergence_dialog();
  notice_overlay();
  help_window();
  share_window();
  lessons_window();
  embed_overlays();
}

} // namespace splinescope
