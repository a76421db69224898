// panels.cpp - the ImGui panels: training controls and statistics, data, network, optimiser and
// view settings, charts, the divergence dialog, notices and the keyboard help.
#include "app.h"
#include "view3d.h"

#include <emscripten.h>
#include <imgui.h>

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

std::string format_metric(double v, const char* fmt = "%.4f") {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

void controls_section() {
  Session& s = *app.session;
  if (ImGui::Button(app.playing ? "Pause" : "Play", ImVec2(70, 0))) set_playing(!app.playing);
  ImGui::SameLine();
  if (ImGui::Button("Step")) train_steps(1);
  ImGui::SameLine();
  if (ImGui::Button("Reset")) {
    s.reset();
    on_network_changed();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::SliderFloat("##speed", &app.speed, 0.05f, 4.0f, "speed %.2fx",
                     ImGuiSliderFlags_Logarithmic);

  if (ImGui::BeginTable("stats", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::Text("step %lld", static_cast<long long>(s.steps()));
    ImGui::TableNextColumn(); ImGui::Text("epoch %lld", static_cast<long long>(s.epochs()));
    ImGui::TableNextColumn(); ImGui::Text("%.0f steps/s", app.steps_per_second);
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::TextDisabled(" ");
    ImGui::TableNextColumn(); ImGui::TextDisabled("loss");
    ImGui::TableNextColumn(); ImGui::TextDisabled("accuracy");
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::Text("train");
    ImGui::TableNextColumn(); ImGui::Text("%s", format_metric(s.train_metrics().loss).c_str());
    ImGui::TableNextColumn(); ImGui::Text("%s", format_metric(s.train_metrics().accuracy, "%.3f").c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn(); ImGui::Text("test");
    ImGui::TableNextColumn(); ImGui::Text("%s", format_metric(s.test_metrics().loss).c_str());
    ImGui::TableNextColumn(); ImGui::Text("%s", format_metric(s.test_metrics().accuracy, "%.3f").c_str());
    ImGui::EndTable();
  }
  if (app.tess.ok())
    ImGui::Text("tiles %d (exact)   %.0f fps", app.grid_tiles, app.fps);
  else
    ImGui::Text("tiles %d (256x256 grid)   %.0f fps", app.grid_tiles, app.fps);
}

void data_section() {
  SessionConfig& p = app.pending;
  const DatasetInfo* info = find_dataset(p.data.name);
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
  if (info && !info->regression && info->max_classes > info->min_classes) {
    int classes = resolved_classes(p.data);
    ImGui::SliderInt("classes", &classes, info->min_classes, info->max_classes);
    p.data.classes = classes;
    commit_if(released());
  }
  ImGui::SliderInt("points", &p.data.n, 20, 2000);
  commit_if(released());
  float noise = static_cast<float>(p.data.noise);
  ImGui::SliderFloat("noise", &noise, 0.0f, 1.0f, "%.2f");
  p.data.noise = noise;
  commit_if(released());
  if (info && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", info->noise_note);
  float fraction = static_cast<float>(p.data.train_fraction);
  ImGui::SliderFloat("train fraction", &fraction, 0.05f, 1.0f, "%.2f");
  p.data.train_fraction = fraction;
  commit_if(released());
  int seed = static_cast<int>(p.seed);
  ImGui::InputInt("seed", &seed);
  if (released()) {
    p.seed = static_cast<std::uint64_t>(std::max(0, seed));
    apply_settings(p);
  }
  if (ImGui::Button("Regenerate")) {
    app.session->regenerate();
    app.pending = app.session->config();
    on_network_changed();
    on_data_changed();
  }
  if (!app.session->data().train.is_regression()) {
    ImGui::SameLine();
    const int classes = std::max(2, app.session->data().train.classes);
    app.add_class = std::min(app.add_class, classes - 1);
    ImGui::SetNextItemWidth(90);
    ImGui::SliderInt("click adds", &app.add_class, 0, classes - 1, "class %d");
  }
  if (ImGui::Checkbox("points", &app.show_points)) on_data_changed();
  ImGui::SameLine();
  if (ImGui::Checkbox("test points", &app.show_test)) on_data_changed();
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
    float alpha = static_cast<float>(p.network.leaky_alpha);
    ImGui::SliderFloat("leaky slope", &alpha, 0.0f, 0.99f, "%.2f");
    p.network.leaky_alpha = alpha;
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
  float lr = static_cast<float>(p.train.learning_rate);
  ImGui::SliderFloat("learning rate", &lr, 1e-4f, 10.0f, "%.4g", ImGuiSliderFlags_Logarithmic);
  p.train.learning_rate = lr;
  commit_if(released());
  ImGui::SliderInt("batch size", &p.train.batch_size, 1, 512, "%d", ImGuiSliderFlags_Logarithmic);
  commit_if(released());
  float l2 = static_cast<float>(p.train.l2);
  ImGui::SliderFloat("L2", &l2, 0.0f, 0.1f, "%.4f", ImGuiSliderFlags_Logarithmic);
  p.train.l2 = l2;
  commit_if(released());
  float l1 = static_cast<float>(p.train.l1);
  ImGui::SliderFloat("L1", &l1, 0.0f, 0.1f, "%.4f", ImGuiSliderFlags_Logarithmic);
  p.train.l1 = l1;
  commit_if(released());
}

void view_section() {
  const int hidden = shown_network().hidden_layers();
  int shown = app.style.code_layers < 0 ? hidden : std::min(app.style.code_layers, hidden);
  if (ImGui::SliderInt("layers coloured", &shown, 1, hidden))
    app.style.code_layers = shown >= hidden ? -1 : shown;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Colour tiles by the codes of layers 1..l only: watch each layer subdivide\n"
                      "the tiles of the layers before it (keys 1-9).");
  if (ImGui::Checkbox("exact tiles", &app.render_exact)) app.tess_uploaded = false;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("On: draw the engine's exact tiles as polygons (fast, exact edges).\n"
                      "Off: evaluate the network for every pixel in a shader.\n"
                      "Colouring by fewer layers, or more tiles than the budget, uses pixels.");
  ImGui::SameLine();
  bool edges = app.style.edge_width > 0;
  if (ImGui::Checkbox("edges", &edges)) {
    app.style.edge_width = edges ? 1.0f : 0.0f;
    app.tess_uploaded = false;
  }
  ImGui::SameLine();
  bool boundary = app.style.boundary_width > 0;
  if (ImGui::Checkbox("decision boundary", &boundary))
    app.style.boundary_width = boundary ? 2.5f : 0.0f;
  ImGui::SliderInt("neuron layer", &app.highlight_layer, 0, hidden, app.highlight_layer ? "%d" : "none");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Draw one neuron's zero set: a line for layer 1, a bent line (bending where\n"
                      "it crosses the boundaries of earlier layers) deeper in the network.");
  if (app.highlight_layer > 0) {
    const int width = shown_network().layers[app.highlight_layer - 1].width();
    app.highlight_unit = std::min(app.highlight_unit, width - 1);
    ImGui::SliderInt("neuron", &app.highlight_unit, 0, width - 1);
  }
  static const ColorMode modes[] = {ColorMode::code_hash, ColorMode::gradient_norm,
                                   ColorMode::output, ColorMode::class_blend};
  enum_combo("colour", &app.style.color_mode, modes);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("code: one colour per activation code.\n"
                      "gradient: |A| of the chosen output on each tile (viridis; 95th percentile\n"
                      "  over the view at the top).\n"
                      "output: the output's value (regression), its confidence (classes).\n"
                      "class: the code colour blended with the predicted class.");
  const int outputs = shown_network().outputs();
  if (outputs > 1) {
    int output = std::min(app.style.output_index, outputs - 1);
    if (ImGui::SliderInt("output", &output, 0, outputs - 1)) app.style.output_index = output;
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("The logit shown by the gradient colours and the 3-D surface.");
  }
  bool view_3d = app.view_3d;
  if (ImGui::Checkbox("3-D (V)", &view_3d)) set_view_3d(view_3d);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The surface f(x) over the plane: one flat facet per tile. Drag to orbit,\n"
                      "wheel to move closer.");
  if (app.view_3d) ImGui::TextDisabled("%s", view_3d_status());
  ImGui::Checkbox("inspector (I)", &app.show_inspector);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Hover the canvas: the code of the tile under the cursor, its affine piece\n"
                      "f(x) = A x + c and every neuron's pre-activation.");
  ImGui::SameLine();
  if (ImGui::Button("Fit view (F)")) app.view = fit_view(app.css_width, app.css_height);
}

// Several series in one frame, each scaled to the common maximum; NaN values are skipped.
void plot_series(const char* id, const std::vector<std::vector<float>>& series,
                 const std::vector<ImU32>& colours, float height) {
  const ImVec2 size(ImGui::GetContentRegionAvail().x, height);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  ImDrawList* list = ImGui::GetWindowDrawList();
  list->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), ImGui::GetColorU32(ImGuiCol_FrameBg));
  float top = 1e-6f;
  for (const auto& s : series)
    for (float v : s)
      if (std::isfinite(v)) top = std::max(top, v);
  // At most one vertex per two pixels (the history holds up to 512 samples), drawn as 1-pixel
  // anti-aliased lines: ImGui makes those from 2 textured triangles per segment instead of 6,
  // which matters in software WebGL, where the cost is per triangle as much as per pixel.
  const std::size_t columns = std::max<std::size_t>(2, static_cast<std::size_t>(size.x / 2));
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    std::vector<ImVec2> points;
    const std::size_t stride = std::max<std::size_t>(1, (s.size() + columns - 1) / columns);
    for (std::size_t i = 0; i < s.size(); i += stride) {
      // The last sample is always drawn, so the curve ends at the current value.
      const std::size_t j = std::min(s.size() - 1, i + stride >= s.size() ? s.size() - 1 : i);
      if (!std::isfinite(s[j])) continue;
      const float x = p0.x + size.x * static_cast<float>(j) / std::max<std::size_t>(1, s.size() - 1);
      const float y = p0.y + size.y * (1.0f - 0.95f * s[j] / top);
      points.push_back(ImVec2(x, y));
    }
    if (points.size() >= 2)
      list->AddPolyline(points.data(), static_cast<int>(points.size()), colours[k],
                        ImDrawFlags_None, 1.0f);
  }
}

void charts_window() {
  const auto& items = app.session->history().items();
  if (items.size() < 2) return;
  const float w = 330;
  ImGui::SetNextWindowPos(ImVec2(app.css_width - w - 12.0f, 12), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(w, 0), ImGuiCond_FirstUseEver);
  ImGui::Begin("Charts");
  std::vector<float> train, test, tiles;
  for (const HistoryPoint& h : items) {
    train.push_back(static_cast<float>(h.train_loss));
    test.push_back(static_cast<float>(std::isfinite(h.test_loss) ? h.test_loss : h.train_loss));
    tiles.push_back(static_cast<float>(std::isfinite(h.tiles) ? h.tiles : 0.0));
  }
  float top = 0;
  for (float v : train) top = std::max(top, std::isfinite(v) ? v : 0.0f);
  for (float v : test) top = std::max(top, std::isfinite(v) ? v : 0.0f);
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "train loss %.4f", train.back());
  ImGui::PlotLines("##train", train.data(), static_cast<int>(train.size()), 0, overlay, 0.0f,
                   top, ImVec2(ImGui::GetContentRegionAvail().x, 60));
  std::snprintf(overlay, sizeof overlay, "test loss %.4f", test.back());
  ImGui::PlotLines("##test", test.data(), static_cast<int>(test.size()), 0, overlay, 0.0f, top,
                   ImVec2(ImGui::GetContentRegionAvail().x, 60));
  std::snprintf(overlay, sizeof overlay, "tiles %.0f", tiles.back());
  ImGui::PlotLines("##tiles", tiles.data(), static_cast<int>(tiles.size()), 0, overlay, 0.0f,
                   FLT_MAX, ImVec2(ImGui::GetContentRegionAvail().x, 50));
  std::vector<float> lc_train, lc_test, lc_boundary;
  for (const HistoryPoint& h : items) {
    lc_train.push_back(static_cast<float>(h.lc_train));
    lc_test.push_back(static_cast<float>(h.lc_test));
    lc_boundary.push_back(static_cast<float>(h.lc_boundary));
  }
  const ImU32 c_train = IM_COL32(0, 160, 230, 255), c_test = IM_COL32(240, 200, 60, 255),
              c_boundary = IM_COL32(240, 100, 90, 255);
  plot_series("##lc", {lc_train, lc_test, lc_boundary}, {c_train, c_test, c_boundary}, 60);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Local complexity: neurons that switch sign within 0.1 of a point\n"
                      "(the frame estimate), averaged near train points, test points and\n"
                      "the decision boundary. Tiles leave the data and gather at the boundary.");
  ImGui::TextColored(ImColor(c_train), "LC train %s", format_metric(lc_train.back(), "%.2f").c_str());
  ImGui::SameLine();
  ImGui::TextColored(ImColor(c_test), "test %s", format_metric(lc_test.back(), "%.2f").c_str());
  ImGui::SameLine();
  ImGui::TextColored(ImColor(c_boundary), "boundary %s",
                     format_metric(lc_boundary.back(), "%.2f").c_str());
  ImGui::TextDisabled("steps 0 - %lld", static_cast<long long>(items.back().step));
  // Timeline: scrub back through the weight snapshots and watch the tiles move.
  const auto& snapshots = app.session->timeline().items();
  int shown = app.replay < 0 ? static_cast<int>(snapshots.size()) - 1 : app.replay;
  char label[48];
  std::snprintf(label, sizeof label, app.replay < 0 ? "live (step %lld)" : "step %lld",
                static_cast<long long>(snapshots.empty() ? 0 : snapshots[shown].step));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - 50);
  if (ImGui::SliderInt("##timeline", &shown, 0, std::max(0, static_cast<int>(snapshots.size()) - 1),
                       label))
    set_replay(shown >= static_cast<int>(snapshots.size()) - 1 ? -1 : shown);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Timeline: drag back to replay how the tiles moved during training.\n"
                      "Play returns to the live network.");
  ImGui::SameLine();
  if (ImGui::Button("live")) set_replay(-1);
  ImGui::End();
}

ImVec2 to_screen(const Eigen::Vector2d& p) {
  return ImVec2(static_cast<float>((p.x() - app.view.x0) / app.view.width() * app.css_width),
                static_cast<float>((app.view.y1 - p.y()) / app.view.height() * app.css_height));
}

// Whole-pixel thicknesses let ImGui draw anti-aliased lines from 2 textured triangles per segment
// rather than 6.
void draw_polyline(ImDrawList* list, const std::vector<Eigen::Vector2d>& points, bool closed,
                   ImU32 colour, float thickness) {
  std::vector<ImVec2> screen;
  screen.reserve(points.size());
  for (const Eigen::Vector2d& p : points) screen.push_back(to_screen(p));
  list->AddPolyline(screen.data(), static_cast<int>(screen.size()), colour,
                    closed ? ImDrawFlags_Closed : ImDrawFlags_None, thickness);
}

// Exact overlays from the tessellation, drawn under the panels: the chosen neuron's bent
// hyperplane and the outline of the tile under the cursor.
void geometry_overlays() {
  if (!app.tess.ok() || app.view_3d) return;
  ImDrawList* list = ImGui::GetBackgroundDrawList();
  // Exact view: the decision boundary comes from the tessellation (the per-pixel view draws its
  // own in the shader).
  if (app.render_exact && app.style.code_layers < 0 && app.style.boundary_width > 0)
    for (const Polyline& line : app.boundary.polylines)
      draw_polyline(list, line.points, line.closed, IM_COL32(13, 13, 20, 255),
                    std::max(1.0f, std::round(app.style.boundary_width)));
  const int hidden = shown_network().hidden_layers();
  if (app.highlight_layer >= 1 && app.highlight_layer <= std::min(hidden, app.tess.depth)) {
    const int width = shown_network().layers[app.highlight_layer - 1].width();
    if (app.highlight_unit < width) {
      for (const Polyline& line :
           neuron_zero_set(app.tess, app.highlight_layer - 1, app.highlight_unit))
        draw_polyline(list, line.points, line.closed, IM_COL32(255, 120, 20, 255), 3.0f);
    }
  }
  const ImGuiIO& io = ImGui::GetIO();
  if (app.locator && app.show_inspector && app.mouse_over_canvas && !io.WantCaptureMouse) {
    double x, y;
    canvas_to_world(io.MousePos.x, io.MousePos.y, &x, &y);
    const int t = app.locator->locate(Eigen::Vector2d(x, y));
    if (t >= 0) draw_polyline(list, app.tess.polygon(t), true, IM_COL32(255, 255, 255, 230), 2.0f);
  }
}

// What the network does at the cursor: the tile's code, its affine piece and the output.
void inspector_tooltip() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse || app.dragging || !app.show_inspector || !app.mouse_over_canvas ||
      app.view_3d)
    return;
  const ImVec2 m = io.MousePos;
  if (m.x < 0 || m.y < 0 || m.x >= app.css_width || m.y >= app.css_height) return;
  double x, y;
  canvas_to_world(m.x, m.y, &x, &y);
  const Network& net = shown_network();
  Eigen::MatrixXd X(2, 1); // (2, 1)
  X << x, y;
  const ForwardGeometry g = forward_geometry(net, X);
  ImGui::BeginTooltip();
  ImGui::Text("x = (%.3f, %.3f)", x, y);
  const std::string code = g.codes[0].to_string(net);
  ImGui::Text("code  %s", code.c_str());
  const Eigen::MatrixXd& A = g.A[0]; // (C, 2)
  for (Eigen::Index c = 0; c < A.rows(); ++c) {
    if (A.rows() == 1)
      ImGui::Text("f(x) = %.4f = %.4f x1 %+.4f x2 %+.4f", g.output(0, 0), A(0, 0), A(0, 1), g.c(0, 0));
    else
      ImGui::Text("f%d(x) = %.4f = %.4f x1 %+.4f x2 %+.4f", static_cast<int>(c), g.output(c, 0),
                  A(c, 0), A(c, 1), g.c(c, 0));
  }
  if (A.rows() == 1 && !app.session->data().train.is_regression())
    ImGui::TextDisabled("p(class 1) = %.3f", 1.0 / (1.0 + std::exp(-g.output(0, 0))));
  ImGui::TextDisabled("|A| = %.4f (slope of the affine piece)", A.norm());
  if (app.locator) {
    const int t = app.locator->locate(Eigen::Vector2d(x, y));
    if (t >= 0)
      ImGui::TextDisabled("tile %d of %d: area %.4g, %d corners", t + 1, app.tess.tile_count(),
                          app.tess.tiles[t].area, app.tess.tiles[t].corner_count);
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
  ImGui::EndTooltip();
}

void divergence_dialog() {
  Session& s = *app.session;
  if (!s.diverged()) return;
  ImGui::SetNextWindowPos(ImVec2(app.css_width * 0.5f, app.css_height * 0.35f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(380, 0));
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

void draw_panels() {
  const unsigned main_sections =
      kPanelControls | kPanelData | kPanelNetwork | kPanelOptimizer | kPanelView | kPanelExport;
  if (app.panels & main_sections) {
    // As tall as its open sections, up to the canvas height (then it scrolls).
    ImGui::SetNextWindowPos(ImVec2(12, 12), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSizeConstraints(ImVec2(330, 0),
                                        ImVec2(330, std::max(120.0f, app.css_height - 24.0f)));
    ImGui::Begin("SplineScope", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::PushItemWidth(-130); // room for the labels
    if (panel_shown(kPanelControls)) controls_section();
    if (panel_shown(kPanelData) && ImGui::CollapsingHeader("Data")) data_section();
    if (panel_shown(kPanelNetwork) && ImGui::CollapsingHeader("Network")) network_section();
    if (panel_shown(kPanelOptimizer) && ImGui::CollapsingHeader("Optimiser")) optimiser_section();
    if (panel_shown(kPanelView) &&
        ImGui::CollapsingHeader("View", app.embed ? 0 : ImGuiTreeNodeFlags_DefaultOpen))
      view_section();
    if (panel_shown(kPanelExport) && ImGui::CollapsingHeader("Export")) export_section();
    if (!app.embed) {
      if (ImGui::Button("Share / embed")) app.show_share = !app.show_share;
      if (panel_shown(kPanelLessons)) {
        ImGui::SameLine();
        if (ImGui::Button("Lessons")) app.show_lessons = !app.show_lessons;
      }
      ImGui::TextDisabled(app.style.color_mode == ColorMode::code_hash
                              ? "Each colour is one activation code: a tile\nwhere the network is affine. H: help"
                              : "Each tile is a region where the network is\naffine. H: help");
    }
    ImGui::PopItemWidth();
    ImGui::End();
  }
  if (panel_shown(kPanelCharts)) charts_window();
  geometry_overlays();
  if (panel_shown(kPanelInspector)) inspector_tooltip();
  divergence_dialog();
  notice_overlay();
  help_window();
  share_window();
  lessons_window();
  embed_overlays();
}

} // namespace splinescope
