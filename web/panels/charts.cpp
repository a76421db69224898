// charts.cpp - see charts.h.
#include "charts.h"

#include "app.h"
#include "compare.h"
#include "layout.h"
#include "panel_text.h"
#include "type.h"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

namespace splinescope {

namespace {

struct ChartAxis {
  bool log = false;     // log10 y axis (values <= 0 are not drawn)
  float fixed_top = 0;  // linear axis from 0 to this (0: to the data's maximum)
  bool steps = false;   // the steps written under the frame (the charts share the x axis: the
                        // last one says it)
};

// The width left of a chart's frame for its y labels.
float chart_gutter() { return ImGui::CalcTextSize("1e-10").x + ImGui::GetStyle().ItemInnerSpacing.x; }

// A tick label on a log axis: 10, 1, 0.1, 0.01, 1e-3 ...
std::string decade_label(int k) {
  char buf[16];
  if (k >= -2 && k <= 4)
    std::snprintf(buf, sizeof buf, "%g", std::pow(10.0, k));
  else
    std::snprintf(buf, sizeof buf, "1e%d", k);
  return buf;
}

// Series over the history's steps in one frame: x is the step (first to last sample), y linear
// or log10 with labelled ticks, and (axis.steps) the first, middle and last steps under it. At most one
// vertex per two pixels, drawn as 1-pixel anti-aliased lines (2 textured triangles per segment in
// ImGui rather than 6: in software WebGL the cost is per triangle as much as per pixel).
// Returns the frame's rectangle (x, y, width, height; CSS px).
std::array<float, 4> plot_chart(const char* id, const std::vector<HistoryPoint>& items,
                const std::vector<std::vector<float>>& series, const std::vector<ImU32>& colours,
                float height, ChartAxis axis) {
  const float label_height = ImGui::GetTextLineHeight();
  // The y labels sit in a gutter left of the frame, clear of the curves.
  const float gutter = chart_gutter();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float full_width = ImGui::GetContentRegionAvail().x;
  ImGui::InvisibleButton(id, ImVec2(full_width, height + (axis.steps ? label_height : 0.0f)));
  const ImVec2 size(std::max(10.0f, full_width - gutter), height);
  const ImVec2 p0(origin.x + gutter, origin.y);
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  list->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));

  // The y range: decades about the data on a log axis; 0 to the top on a linear one.
  float lo = 0, hi = axis.fixed_top > 0 ? axis.fixed_top : 1e-6f;
  if (axis.log) {
    float min_v = INFINITY, max_v = 0;
    for (const auto& s : series)
      for (float v : s)
        if (std::isfinite(v) && v > 0) {
          min_v = std::min(min_v, v);
          max_v = std::max(max_v, v);
        }
    if (max_v <= 0) min_v = max_v = 1;
    lo = std::floor(std::log10(min_v));
    hi = std::ceil(std::log10(max_v));
    if (hi - lo < 1) hi = lo + 1;
  } else if (axis.fixed_top <= 0) {
    for (const auto& s : series)
      for (float v : s)
        if (std::isfinite(v)) hi = std::max(hi, v);
  }
  auto y_of = [&](float v) {
    const float t = axis.log ? (std::log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
    return p0.y + size.y * (1.0f - (0.04f + 0.92f * t));
  };

  // Grid lines and their labels, inside the frame at the left.
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_TextDisabled, 0.25f);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  auto tick = [&](float v, const std::string& label) {
    const float y = std::round(y_of(v));
    list->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid);
    const float ty = std::clamp(y - label_height * 0.5f, p0.y - 0.25f * label_height,
                                p1.y - 0.75f * label_height);
    const float tw = ImGui::CalcTextSize(label.c_str()).x;
    list->AddText(ImVec2(p0.x - tw - ImGui::GetStyle().ItemInnerSpacing.x, ty), text, label.c_str());
  };
  if (axis.log) {
    const int decades = static_cast<int>(hi - lo);
    const int every = std::max(1, (decades + 2) / 3);
    for (int k = static_cast<int>(hi); k >= static_cast<int>(lo); k -= every)
      tick(std::pow(10.0f, static_cast<float>(k)), decade_label(k));
  } else {
    tick(hi, format_metric(hi, hi >= 100 ? "%.0f" : "%.3g"));
    tick(0.5f * hi, format_metric(0.5 * hi, hi >= 100 ? "%.0f" : "%.3g"));
  }

  // The steps under the frame: first, middle, last.
  const double first = items.front().step, last = std::max<double>(first + 1, items.back().step);
  auto x_of = [&](double step) {
    return p0.x + size.x * static_cast<float>((step - first) / (last - first));
  };
  if (axis.steps) {
    const std::string left = format_steps(first), mid = format_steps(0.5 * (first + last)),
                      right = format_steps(items.back().step) + " steps";
    list->AddText(ImVec2(p0.x - 0.5f * ImGui::CalcTextSize(left.c_str()).x, p1.y), text, left.c_str());
    list->AddText(ImVec2(p0.x + 0.5f * (size.x - ImGui::CalcTextSize(mid.c_str()).x), p1.y), text,
                  mid.c_str());
    list->AddText(ImVec2(p1.x - ImGui::CalcTextSize(right.c_str()).x, p1.y), text, right.c_str());
  }

  list->PushClipRect(p0, p1, true);
  const std::size_t columns = std::max<std::size_t>(2, static_cast<std::size_t>(size.x / 2));
  for (std::size_t k = series.size(); k-- > 0;) { // the first series (train) on top
    const auto& s = series[k];
    std::vector<ImVec2> points;
    const std::size_t stride = std::max<std::size_t>(1, (s.size() + columns - 1) / columns);
    for (std::size_t i = 0; i < s.size(); i += stride) {
      // The last sample is always drawn, so the curve ends at the current value.
      const std::size_t j = i + stride >= s.size() ? s.size() - 1 : i;
      if (!std::isfinite(s[j]) || (axis.log && s[j] <= 0)) continue;
      // On pixel centres: a flat stretch (accuracy at 1) is one crisp row, not two faint ones.
      points.push_back(ImVec2(x_of(static_cast<double>(items[j].step)), std::floor(y_of(s[j])) + 0.5f));
    }
    if (points.size() >= 2)
      list->AddPolyline(points.data(), static_cast<int>(points.size()), colours[k],
                        ImDrawFlags_None, 1.0f);
  }
  list->PopClipRect();
  return {p0.x, p0.y, size.x, size.y};
}

// While replaying: a vertical line at the replayed step on the chart just drawn.
void replay_marker(const std::vector<HistoryPoint>& items) {
  if (app.pane().replay < 0 || items.size() < 2) return;
  const double first = items.front().step, last = std::max<double>(first + 1, items.back().step);
  ImVec2 a = ImGui::GetItemRectMin();
  const ImVec2 b = ImGui::GetItemRectMax();
  const float bottom = a.y + (app.chart_rects.empty() ? b.y - a.y : app.chart_rects.back()[3]);
  a.x += chart_gutter(); // the frame starts right of plot_chart's label gutter
  const float x = std::round(a.x + (b.x - a.x) * static_cast<float>((shown_step() - first) / (last - first)));
  ImGui::GetWindowDrawList()->AddLine(ImVec2(x, a.y), ImVec2(x, bottom), IM_COL32(255, 190, 80, 255));
}

template <class Field>
std::vector<float> column(const std::vector<HistoryPoint>& items, Field field) {
  std::vector<float> out;
  out.reserve(items.size());
  for (const HistoryPoint& h : items) out.push_back(static_cast<float>(field(h)));
  return out;
}

// Compare mode: a figure of every pane at the first pane's steps (the panes train in lock step;
// a pane behind, diverged, holds its last value), one series per pane.
template <class Field>
std::vector<std::vector<float>> pane_columns(const std::vector<HistoryPoint>& items, Field field) {
  std::vector<std::vector<float>> out;
  for (const auto& pane : app.panes) {
    const auto& own = pane->session->history().items();
    std::vector<float> series;
    series.reserve(items.size());
    std::size_t k = 0;
    for (const HistoryPoint& h : items) {
      while (k + 1 < own.size() && own[k + 1].step <= h.step) ++k;
      series.push_back(own.empty() ? NAN : static_cast<float>(field(own[k])));
    }
    out.push_back(std::move(series));
  }
  return out;
}

// One chart of the panes' series, titled with each pane's figure in its colour.
// format: printf's for the figures (nullptr: as losses are printed).
void compare_chart(const char* title, const char* id, const char* format,
                   const std::vector<HistoryPoint>& items, const std::vector<std::vector<float>>& series,
                   float height, ChartAxis axis, std::size_t at) {
  std::vector<ImU32> colours;
  ImGui::TextUnformatted(title);
  for (std::size_t i = 0; i < series.size(); ++i) {
    colours.push_back(pane_colour(static_cast<int>(i), app.light()));
    ImGui::SameLine();
    const float value = series[i][std::min(at, series[i].size() - 1)];
    ImGui::TextColored(ImColor(colours.back()), "%s %s", pane_letter(static_cast<int>(i)).c_str(),
                       (format ? format_metric(value, format) : format_loss(value)).c_str());
  }
  app.chart_rects.push_back(plot_chart(id, items, series, colours, height, axis));
  replay_marker(items);
}

// Compare mode's charts: each figure with one curve per pane, in the panes' colours; one more
// chart than one pane's, each lower, so that the window keeps its height.
void compare_charts(const std::vector<HistoryPoint>& items, std::size_t at, float chart_height) {
  const auto loss = pane_columns(items, [](const HistoryPoint& h) {
    return std::isfinite(h.test_loss) ? h.test_loss : h.train_loss;
  });
  compare_chart("test loss", "##loss", nullptr, items, loss, chart_height * 0.8f, ChartAxis{app.charts_log, 0}, at);
  app.charts_loss_label.clear();
  for (std::size_t i = 0; i < loss.size(); ++i)
    app.charts_loss_label += (i ? " " : "") + pane_letter(static_cast<int>(i)) + " " + format_loss(loss[i][at]);
  app.charts_drawn = {"loss"};
  if (!app.pane().session->data().train.is_regression()) {
    compare_chart("test accuracy", "##accuracy", "%.3f", items,
                  pane_columns(items, [](const HistoryPoint& h) { return h.test_accuracy; }),
                  chart_height * 0.6f, ChartAxis{false, 1.0f}, at);
    app.charts_drawn.push_back("accuracy");
  }
  compare_chart("tiles", "##tiles", "%.0f", items, pane_columns(items, [](const HistoryPoint& h) {
                  return std::isfinite(h.tiles) ? h.tiles : 0.0;
                }),
                chart_height * 0.6f, ChartAxis{}, at);
  app.charts_drawn.push_back("tiles");
  compare_chart("LC train points", "##lc_train", "%.2f", items,
                pane_columns(items, [](const HistoryPoint& h) { return h.lc_train; }), chart_height * 0.6f,
                ChartAxis{}, at);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Local complexity near the training points, one curve per pane:\n"
                      "how many neurons switch within 0.1 of the data.");
  compare_chart("LC boundary", "##lc", "%.2f", items,
                pane_columns(items, [](const HistoryPoint& h) { return h.lc_boundary; }), chart_height * 0.6f,
                ChartAxis{false, 0, true}, at);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Local complexity near the decision boundary, one curve per pane.");
  app.charts_drawn.push_back("local complexity");
}

// One pane's charts: train and test loss, accuracy, tiles and local complexity.
void pane_charts(const std::vector<HistoryPoint>& items, std::size_t at, float chart_height) {
  // Train, test and boundary colours; darker on the light theme's white, where yellow fades.
  const bool light = app.light();
  const ImU32 c_train = light ? IM_COL32(0, 114, 178, 255) : IM_COL32(0, 160, 230, 255),
              c_test = light ? IM_COL32(190, 130, 0, 255) : IM_COL32(240, 200, 60, 255),
              c_boundary = light ? IM_COL32(200, 60, 40, 255) : IM_COL32(240, 100, 90, 255);
  // Loss: train and test in one frame, log axis unless switched off.
  const std::vector<float> train = column(items, [](const HistoryPoint& h) { return h.train_loss; });
  const std::vector<float> test = column(items, [](const HistoryPoint& h) {
    return std::isfinite(h.test_loss) ? h.test_loss : h.train_loss;
  });
  ImGui::TextColored(ImColor(c_train), "loss train %s", format_loss(train[at]).c_str());
  ImGui::SameLine();
  ImGui::TextColored(ImColor(c_test), "test %s", format_loss(test[at]).c_str());
  app.charts_loss_label = "train " + format_loss(train[at]) + " test " + format_loss(test[at]);
  ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("log").x -
                  ImGui::GetFrameHeight() - ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x, 0));
  ImGui::Checkbox("log", &app.charts_log);
  ImGui::PopStyleVar();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The loss axis in powers of ten: a long run's losses stay readable.");
  app.chart_rects.push_back(plot_chart("##loss", items, {train, test}, {c_train, c_test}, chart_height,
             ChartAxis{app.charts_log, 0}));
  replay_marker(items);
  app.charts_drawn = {"loss"};

  // Accuracy (classification only: regression records NaN), on a fixed 0..1 scale.
  if (!app.pane().session->data().train.is_regression()) {
    const std::vector<float> acc_train = column(items, [](const HistoryPoint& h) { return h.train_accuracy; });
    const std::vector<float> acc_test = column(items, [](const HistoryPoint& h) { return h.test_accuracy; });
    ImGui::TextColored(ImColor(c_train), "accuracy train %s",
                       format_metric(acc_train[at], "%.3f").c_str());
    ImGui::SameLine();
    ImGui::TextColored(ImColor(c_test), "test %s", format_metric(acc_test[at], "%.3f").c_str());
    app.chart_rects.push_back(plot_chart("##accuracy", items, {acc_train, acc_test}, {c_train, c_test},
                                         chart_height * 0.8f, ChartAxis{false, 1.0f}));
    replay_marker(items);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Accuracy on the train and test points over the steps (0 to 1).");
    app.charts_drawn.push_back("accuracy");
  }

  const std::vector<float> tiles = column(items, [](const HistoryPoint& h) {
    return std::isfinite(h.tiles) ? h.tiles : 0.0;
  });
  ImGui::Text("tiles %s", format_metric(tiles[at], "%.0f").c_str());
  app.chart_rects.push_back(plot_chart("##tiles", items, {tiles},
                                       {light ? IM_COL32(70, 70, 80, 255) : IM_COL32(200, 200, 200, 255)},
                                       chart_height * 0.8f, ChartAxis{}));
  replay_marker(items);
  app.charts_drawn.push_back("tiles");

  const std::vector<float> lc_train = column(items, [](const HistoryPoint& h) { return h.lc_train; });
  const std::vector<float> lc_test = column(items, [](const HistoryPoint& h) { return h.lc_test; });
  const std::vector<float> lc_boundary = column(items, [](const HistoryPoint& h) { return h.lc_boundary; });
  if (app.pane().plane.on()) {
    // Image data: measured in the plane, around its three training images (plane_view.cpp).
    ImGui::TextColored(ImColor(c_train), "LC at a, b, c %s", format_metric(lc_train[at], "%.2f").c_str());
  } else {
    ImGui::TextColored(ImColor(c_train), "LC train %s", format_metric(lc_train[at], "%.2f").c_str());
    ImGui::SameLine();
    ImGui::TextColored(ImColor(c_test), "test %s", format_metric(lc_test[at], "%.2f").c_str());
  }
  ImGui::SameLine();
  ImGui::TextColored(ImColor(c_boundary), "boundary %s",
                     format_metric(lc_boundary[at], "%.2f").c_str());
  app.chart_rects.push_back(plot_chart("##lc", items, {lc_train, lc_test, lc_boundary},
                                       {c_train, c_test, c_boundary}, chart_height,
                                       ChartAxis{false, 0, true}));
  replay_marker(items);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Local complexity: neurons that switch sign within 0.1 of a point\n"
                      "(the frame estimate), averaged near train points, test points and\n"
                      "the decision boundary. Tiles leave the data and gather at the boundary.");
  app.charts_drawn.push_back("local complexity");
}

} // namespace

void charts_window(ChartsPlace place) {
  app.charts_drawn.clear();
  app.chart_rects.clear();
  const auto& items = app.pane().session->history().items();
  if (items.size() < 2) return;
  bool open = true;
  if (place == ChartsPlace::sheet) {
    place_sheet();
    ImGui::Begin("Charts", &open, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                      ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings);
  } else {
    const float w = std::min(ui_px(330), app.css_width - 24.0f);
    const ImGuiCond cond = place == ChartsPlace::reset ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(ImVec2(app.css_width - w - 12.0f, 12), cond);
    ImGui::SetNextWindowSize(ImVec2(w, 0), cond);
    ImGui::Begin("Charts");
  }
  if (!open) app.sheet = Sheet::none;
  if (place == ChartsPlace::sheet) touch_scroll();
  // The figures printed are those of the step on the canvas: the last sample, or while replaying
  // the sample at the replayed step (where replay_marker draws its line).
  std::size_t at = items.size() - 1;
  if (app.pane().replay >= 0) {
    at = 0;
    while (at + 1 < items.size() && items[at + 1].step <= shown_step()) ++at;
  }
  const float chart_height = ui_px(64);
  if (app.panes.size() > 1) {
    compare_charts(items, at, chart_height);
  } else {
    pane_charts(items, at, chart_height);
  }

  // Timeline: scrub back through the weight snapshots and watch the tiles move.
  const auto& snapshots = app.pane().session->timeline().items();
  int shown = app.pane().replay < 0 ? static_cast<int>(snapshots.size()) - 1 : app.pane().replay;
  char label[48];
  std::snprintf(label, sizeof label, app.pane().replay < 0 ? "live (step %lld)" : "step %lld",
                static_cast<long long>(snapshots.empty() ? 0 : snapshots[shown].step));
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ui_px(50));
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

} // namespace splinescope
