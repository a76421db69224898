// compare_panel.cpp - the Compare section of the main window: compare mode on and off, an
// experiment to start from, and what each pane changes (compare.h).
#include "app.h"
#include "compare.h"
#include "type.h"

#include <imgui.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace splinescope {

namespace {

struct Experiment {
  const char* name;
  std::vector<std::string> panes;
};

// The paper's comparisons, ready to run.
const std::vector<Experiment>& experiments() {
  static const std::vector<Experiment> list = {
      {"batch norm off | on", {"bn:0", "bn:1"}},
      {"ReLU | leaky ReLU | absolute value", {"act:relu", "act:leaky_relu;alpha:0.2", "act:abs"}},
      {"wide | deep", {"layers:64", "layers:8,8,8"}},
      {"weight decay off | on", {"opt:adamw;wd:0", "opt:adamw;wd:0.01"}},
      {"small | large initial weights", {"init:uniform;init_scale:0.2", "init:uniform;init_scale:1.5"}},
      {"learning rate 0.001 | 0.01 | 0.1", {"lr:0.001", "lr:0.01", "lr:0.1"}},
  };
  return list;
}

std::vector<std::string> current_specs() {
  std::vector<std::string> specs;
  if (app.panes.size() > 1)
    for (const auto& pane : app.panes) specs.push_back(pane->settings);
  return specs;
}

} // namespace

void set_compare_panes(const std::vector<std::string>& specs) {
  const SessionConfig base = page_settings();
  const std::vector<std::string> notes = set_compare(app.panes, specs, base);
  app.compare_base = base;
  app.pending = base;
  if (app.panes.size() > 1 && app.pane().view_3d) switch_view_3d(false);
  on_network_changed();
  on_data_changed();
  fit_the_view();
  if (!notes.empty()) notify("Compare mode: " + notes.front(), 8.0);
}

void compare_section() {
  ImGui::TextWrapped("Panes side by side: the same data and seed, each with its own changes, "
                     "trained step for step and seen through one view.");
  const std::vector<std::string> specs = current_specs();
  const char* preview = specs.empty() ? "choose an experiment" : "experiments";
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##experiment", preview)) {
    for (const Experiment& e : experiments())
      if (ImGui::Selectable(e.name)) set_compare_panes(e.panes);
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Starts a comparison from the paper: each pane changes what it names.");
  if (specs.empty()) return;
  // Each pane's changes, as key:value (the Network and Training keys of a link), ';' between.
  static std::array<std::array<char, 128>, kMaxComparePanes> text{};
  static std::vector<std::string> shown;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (shown.size() != specs.size() || shown[i] != specs[i])
      std::snprintf(text[i].data(), text[i].size(), "%s", specs[i].c_str());
  }
  shown = specs;
  std::vector<std::string> next = specs;
  bool changed = false;
  int remove = -1;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    ImGui::TextColored(ImColor(pane_colour(static_cast<int>(i), app.light())), "%s", pane_letter(static_cast<int>(i)).c_str());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() - ImGui::GetStyle().ItemSpacing.x);
    if (ImGui::InputText("##settings", text[i].data(), text[i].size(), ImGuiInputTextFlags_EnterReturnsTrue)) {
      next[i] = text[i].data();
      changed = true;
    }
    if (ImGui::IsItemDeactivatedAfterEdit() && next[i] != text[i].data()) {
      next[i] = text[i].data();
      changed = true;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("What pane %s changes: Network and Training keys as key:value, ';' between,\n"
                        "e.g. bn:1  or  layers:8,8,8;lr:0.003  or  act:abs (empty: the settings above).",
                        pane_letter(static_cast<int>(i)).c_str());
    ImGui::SameLine();
    if (ImGui::Button("x", ImVec2(ImGui::GetFrameHeight(), 0))) remove = static_cast<int>(i);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Close this pane");
    ImGui::PopID();
  }
  if (remove >= 0) {
    next.erase(next.begin() + remove);
    changed = true;
  }
  if (specs.size() < static_cast<std::size_t>(kMaxComparePanes)) {
    if (ImGui::Button("Add a pane")) {
      next.push_back("");
      changed = true;
    }
    ImGui::SameLine();
  }
  if (ImGui::Button("One pane")) {
    next.clear();
    changed = true;
  }
  if (changed) set_compare_panes(next.size() >= 2 ? next : std::vector<std::string>{});
}

} // namespace splinescope
