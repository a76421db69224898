// compare.cpp - see compare.h.
#include "compare.h"

#include "url_state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace splinescope {

std::unique_ptr<Pane> make_pane(const SessionConfig& config, std::string* error) {
  auto pane = std::make_unique<Pane>();
  if (!pane->renderer.init()) {
    *error = pane->renderer.error();
    return nullptr;
  }
  // A new architecture's shader compiles while frames go on (the loop shader draws meanwhile).
  pane->renderer.set_background_compile(true);
  pane->session = std::make_unique<Session>(config);
  return pane;
}

std::vector<std::string> set_compare(Panes& panes, const std::vector<std::string>& specs,
                                     const SessionConfig& base) {
  std::vector<std::string> notes;
  if (specs.size() < 2) {
    panes.resize(1);
    panes.front()->settings.clear();
    return notes;
  }
  const std::size_t count = std::min<std::size_t>(specs.size(), kMaxComparePanes);
  panes.resize(std::min(panes.size(), count));
  for (std::size_t i = 0; i < count; ++i) {
    const SessionConfig config = compare_pane_config(base, specs[i], &notes);
    if (i >= panes.size()) {
      std::string error;
      std::unique_ptr<Pane> pane = make_pane(config, &error);
      if (!pane) {
        notes.push_back("pane " + pane_letter(static_cast<int>(i)) + " could not draw: " + error);
        break;
      }
      panes.push_back(std::move(pane));
    }
    panes[i]->settings = specs[i];
  }
  const std::vector<std::string> refused = apply_compare_settings(panes, base);
  notes.insert(notes.end(), refused.begin(), refused.end());
  return notes;
}

std::vector<std::string> apply_compare_settings(Panes& panes, const SessionConfig& base) {
  std::vector<std::string> notes;
  for (std::size_t i = 0; i < panes.size(); ++i) {
    Pane& pane = *panes[i];
    std::vector<std::string> ignored; // said when the address was read
    const SessionConfig config =
        panes.size() > 1 ? compare_pane_config(base, pane.settings, &ignored) : base;
    const std::string refused = pane.session->apply(config);
    if (!refused.empty()) notes.push_back("pane " + pane_letter(static_cast<int>(i)) + ": " + refused);
    pane.replay = -1;
    pane.weights_dirty = pane.points_dirty = true;
    pane.tiles_counted_at = -1;
    pane.tess_uploaded = false;
  }
  return notes;
}

void layout_panes(Panes& panes, const Canvas& whole, double left, double top, double right,
                  double bottom) {
  const int n = static_cast<int>(panes.size());
  if (n == 1) {
    panes.front()->canvas = whole;
    return;
  }
  constexpr double gap = 8;
  const double w = std::max(1.0, right - left), h = std::max(1.0, bottom - top);
  // The grid whose cells have the largest shorter side.
  int best_cols = 1;
  double best_side = -1;
  for (int cols = 1; cols <= n; ++cols) {
    const int rows = (n + cols - 1) / cols;
    const double side = std::min((w - gap * (cols - 1)) / cols, (h - gap * (rows - 1)) / rows);
    if (side > best_side + 1e-9) {
      best_side = side;
      best_cols = cols;
    }
  }
  const int cols = best_cols, rows = (n + cols - 1) / cols;
  const int cell_w = std::max(1, static_cast<int>(std::floor((w - gap * (cols - 1)) / cols)));
  const int cell_h = std::max(1, static_cast<int>(std::floor((h - gap * (rows - 1)) / rows)));
  const float ratio = whole.pixel_ratio;
  for (int i = 0; i < n; ++i) {
    Canvas& c = panes[i]->canvas;
    c.css_x = static_cast<int>(std::lround(left + (i % cols) * (cell_w + gap)));
    c.css_y = static_cast<int>(std::lround(top + (i / cols) * (cell_h + gap)));
    c.css_width = cell_w;
    c.css_height = cell_h;
    c.pixel_ratio = ratio;
    c.pixel_x = static_cast<int>(std::lround(c.css_x * ratio));
    c.pixel_width = std::max(1, static_cast<int>(std::lround(cell_w * ratio)));
    c.pixel_height = std::max(1, static_cast<int>(std::lround(cell_h * ratio)));
    // GL counts rows from the bottom.
    c.pixel_y = std::max(0, whole.pixel_height - static_cast<int>(std::lround(c.css_y * ratio)) - c.pixel_height);
  }
}

void follow_first_pane(Panes& panes) {
  const Pane& first = *panes.front();
  for (std::size_t i = 1; i < panes.size(); ++i) {
    Pane& pane = *panes[i];
    pane.view = first.view;
    pane.view_fitted = first.view_fitted;
    TileStyle& s = pane.style;
    const TileStyle& f = first.style;
    const bool restyled = s.code_layers != f.code_layers || s.edge_width != f.edge_width ||
                          s.edge_colour != f.edge_colour || s.boundary_width != f.boundary_width ||
                          s.color_mode != f.color_mode || s.output_index != f.output_index ||
                          s.wash != f.wash || s.light != f.light;
    if (restyled) {
      s.code_layers = f.code_layers;
      s.edge_width = f.edge_width;
      s.edge_colour = f.edge_colour;
      s.boundary_width = f.boundary_width;
      s.color_mode = f.color_mode;
      s.output_index = f.output_index;
      s.wash = f.wash;
      s.light = f.light;
      pane.tess_uploaded = false;
      pane.weights_dirty = true;
    }
    if (pane.show_points != first.show_points || pane.show_test != first.show_test) {
      pane.show_points = first.show_points;
      pane.show_test = first.show_test;
      pane.points_dirty = true;
    }
    pane.render_exact = first.render_exact;
    pane.batch_statistics = first.batch_statistics;
    // The highlighted neuron, where this pane's network has it.
    const Network& net = pane.session->network();
    const bool has = first.highlight_layer >= 1 && first.highlight_layer <= net.hidden_layers() &&
                     first.highlight_unit < net.layers[first.highlight_layer - 1].width();
    pane.highlight_layer = has ? first.highlight_layer : 0;
    pane.highlight_unit = has ? first.highlight_unit : 0;
    // The replayed snapshot: the same index is the same step (the timelines thin alike).
    const int replay = first.replay < static_cast<int>(pane.session->timeline().items().size()) ? first.replay : -1;
    if (replay != pane.replay) {
      pane.replay = replay;
      pane.weights_dirty = true;
      pane.tiles_counted_at = -1;
    }
  }
}

int pane_at(const Panes& panes, float x, float y) {
  for (std::size_t i = 0; i < panes.size(); ++i)
    if (panes[i]->canvas.contains(x, y)) return static_cast<int>(i);
  return -1;
}

ImU32 pane_colour(int index, bool light) {
  static const ImU32 dark[] = {IM_COL32(86, 180, 233, 255), IM_COL32(240, 120, 60, 255),
                               IM_COL32(40, 200, 150, 255), IM_COL32(224, 150, 200, 255)};
  static const ImU32 pale[] = {IM_COL32(0, 114, 178, 255), IM_COL32(213, 94, 0, 255),
                               IM_COL32(0, 140, 105, 255), IM_COL32(175, 85, 140, 255)};
  return (light ? pale : dark)[std::clamp(index, 0, 3)];
}

long parameter_count(const Network& net) {
  long count = 0;
  for (const Layer& layer : net.layers)
    count += static_cast<long>(layer.W.size() + layer.b.size()) + (layer.batch_norm ? 2L * layer.width() : 0L);
  return count;
}

std::string pane_letter(int index) { return std::string(1, static_cast<char>('A' + index)); }

std::string settings_label(const std::string& settings) {
  if (settings.empty()) return "as set";
  std::string out;
  for (char c : settings) out += c == ':' ? std::string(" ") : c == ';' ? std::string(", ") : std::string(1, c);
  return out;
}

void pane_labels(const Panes& panes, ImDrawList* list, bool light) {
  if (panes.size() < 2) return;
  const ImU32 ink = light ? IM_COL32(25, 25, 35, 255) : IM_COL32(240, 240, 245, 255);
  const ImU32 plate = light ? IM_COL32(255, 255, 255, 225) : IM_COL32(20, 21, 28, 215);
  const float pad = 4.0f, line = ImGui::GetTextLineHeight();
  for (std::size_t i = 0; i < panes.size(); ++i) {
    const Pane& pane = *panes[i];
    const Canvas& c = pane.canvas;
    const ImU32 colour = pane_colour(static_cast<int>(i), light);
    const ImVec2 p0(static_cast<float>(c.css_x), static_cast<float>(c.css_y));
    const ImVec2 p1(p0.x + c.css_width, p0.y + c.css_height);
    list->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), colour, 0, 0, 2.0f);
    char figures[96];
    const Metrics& test = pane.session->test_metrics();
    const double loss = test.n > 0 ? test.loss : pane.session->train_metrics().loss;
    std::snprintf(figures, sizeof figures, "%d tiles%s  loss %.3g", pane.grid_tiles,
                  pane.grid_size > 0 ? " (grid)" : "", loss);
    const std::string title = pane_letter(static_cast<int>(i)) + "  " + settings_label(pane.settings);
    const float width = std::max(ImGui::CalcTextSize(title.c_str()).x, ImGui::CalcTextSize(figures).x);
    // At the top right: clear of an embed's play bar and of the settings at the left.
    const ImVec2 at(std::max(p0.x + 6, p1.x - 6 - (width + 2 * pad + 6)), p0.y + 6);
    list->AddRectFilled(at, ImVec2(at.x + width + 2 * pad + 6, at.y + 2 * line + 2 * pad), plate, 4.0f);
    list->AddRectFilled(at, ImVec2(at.x + 4, at.y + 2 * line + 2 * pad), colour, 4.0f, ImDrawFlags_RoundCornersLeft);
    list->AddText(ImVec2(at.x + pad + 6, at.y + pad), colour, title.c_str());
    list->AddText(ImVec2(at.x + pad + 6, at.y + pad + line), ink, figures);
  }
}

} // namespace splinescope
