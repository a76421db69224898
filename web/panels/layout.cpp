// layout.cpp - see layout.h.
#include "layout.h"

#include "app.h"
#include "curve_view.h"
#include "panel_text.h"
#include "type.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace splinescope {

bool narrow_layout() { return app.css_width > 0 && app.css_width <= kNarrowWidth && !app.embed; }

void top_bar() {
  ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(static_cast<float>(app.css_width), 0), ImGuiCond_Always);
  ImGui::SetNextWindowBgAlpha(0.92f);
  constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoScrollbar |
                                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_AlwaysAutoResize |
                                     ImGuiWindowFlags_NoSavedSettings;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::Begin("##bar", nullptr, flags);
  training_buttons(true);
  // The figures a student watches, on one line.
  const Session& s = *app.pane().session;
  const bool replaying = app.pane().replay >= 0;
  const Metrics& test = replaying ? app.pane().replay_test : s.test_metrics();
  const bool regression = s.data().train.is_regression();
  ImGui::Text("step %lld", static_cast<long long>(shown_step()));
  ImGui::SameLine();
  ImGui::TextDisabled(regression ? "test loss %s" : "test accuracy %s",
                      regression ? format_loss(test.loss).c_str()
                                 : format_metric(test.accuracy, "%.2f").c_str());
  if (shows_curve(app.pane()) && app.pane().curve.ok()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%d pieces", app.pane().curve.piece_count());
  } else if (app.pane().tess.ok()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%d tiles", app.pane().tess.tile_count());
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

void touch_scroll() {
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsWindowHovered() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f) &&
      !ImGui::IsAnyItemActive())
    ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
}

void place_sheet() {
  // Below the bar: the lower 60 % of the screen, the data above it stays in view.
  const float w = static_cast<float>(app.css_width), h = static_cast<float>(app.css_height);
  const float top = std::round(std::max(0.4f * h, ui_px(120)));
  ImGui::SetNextWindowPos(ImVec2(0, top), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w, h - top), ImGuiCond_Always);
}

} // namespace splinescope
