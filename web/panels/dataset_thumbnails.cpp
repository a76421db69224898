// dataset_thumbnails.cpp - see dataset_thumbnails.h.
#include "dataset_thumbnails.h"

#include "image_data.h"
#include "slice_view.h"

#include "datasets.h"
#include "panel_text.h"
#include "type.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace splinescope {
namespace {

constexpr int kThumbnailPoints = 160;
constexpr double kExtent = 3.2; // the datasets lie within radius 3 of the origin

// Blue below zero, orange above (a regression target, roughly in [-1, 1]).
ImU32 target_colour(double t) {
  const float a = static_cast<float>(std::clamp(0.5 * (t + 1.0), 0.0, 1.0));
  return IM_COL32(static_cast<int>(230 * a), static_cast<int>(114 + (159 - 114) * a),
                  static_cast<int>(178 * (1 - a)), 255);
}

// Each generator's sample, made once (the seed and noise are fixed: the picture is the
// generator's, not the current settings').
const std::vector<Dataset>& samples() {
  static const std::vector<Dataset> all = [] {
    std::vector<Dataset> out;
    for (const DatasetInfo& info : dataset_registry()) {
      DatasetSpec spec;
      spec.name = info.name;
      spec.n = kThumbnailPoints;
      spec.classes = 0; // the generator's default
      spec.noise = 0.1;
      out.push_back(is_image_data(info.name) ? Dataset{} : generate(spec)); // images: drawn below
    }
    return out;
  }();
  return all;
}

} // namespace

const DatasetInfo* dataset_thumbnails(const std::string& current,
                                      std::vector<std::pair<std::string, std::array<float, 4>>>* rects) {
  const std::vector<DatasetInfo>& registry = dataset_registry();
  const std::vector<Dataset>& data = samples();
  const float side = std::round(ui_px(46));
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float row = ImGui::GetContentRegionAvail().x;
  const int per_row = std::max(1, static_cast<int>((row + spacing) / (side + spacing)));
  const DatasetInfo* clicked = nullptr;
  rects->clear();
  ImDrawList* list = ImGui::GetWindowDrawList();
  for (std::size_t k = 0; k < registry.size(); ++k) {
    if (k % per_row != 0) ImGui::SameLine();
    const ImVec2 p0 = ImGui::GetCursorScreenPos(), p1(p0.x + side, p0.y + side);
    ImGui::PushID(static_cast<int>(k));
    if (ImGui::InvisibleButton("##thumbnail", ImVec2(side, side))) clicked = &registry[k];
    const bool hovered = ImGui::IsItemHovered(), chosen = current == registry[k].name;
    ImGui::PopID();
    list->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg), 3.0f);
    const Dataset& d = data[k];
    if (is_image_data(registry[k].name)) {
      // Image data: four of its images once loaded; until then what it is and that it loads.
      const auto images = provided_images(registry[k].name);
      if (images && images->images.train.size() >= 4) {
        const ImageSet& train = images->images.train;
        const float cell = 0.5f * (side - 6);
        for (int j = 0; j < 4; ++j) {
          Eigen::VectorXd pixels(train.dim()); // (D)
          for (int q = 0; q < train.dim(); ++q)
            pixels(q) = train.pixels[static_cast<std::size_t>(j) * train.dim() + q] / 255.0;
          draw_grey_image(list, ImVec2(p0.x + 2 + (j % 2) * (cell + 2), p0.y + 2 + (j / 2) * (cell + 2)), cell,
                          pixels, train.rows, train.cols);
        }
      } else {
        const char* text = "28×28\nimages";
        const ImVec2 size = ImGui::CalcTextSize(text);
        list->AddText(ImVec2(0.5f * (p0.x + p1.x - size.x), 0.5f * (p0.y + p1.y - size.y)),
                      ImGui::GetColorU32(ImGuiCol_Text), text);
      }
      if (chosen || hovered)
        list->AddRect(p0, p1, ImGui::GetColorU32(chosen ? ImGuiCol_CheckMark : ImGuiCol_ButtonHovered), 3.0f,
                      0, chosen ? 2.0f : 1.0f);
      if (hovered) ImGui::SetTooltip("%s: %s", registry[k].name, registry[k].description);
      rects->push_back({registry[k].name, {p0.x, p0.y, side, side}});
      continue;
    }
    const float dot = std::max(1.0f, side / 36.0f);
    // The plane's points where they lie; the line's as (x, target), or along the middle in their
    // class colour.
    const bool line = d.dim() == 1;
    if (line)
      list->AddLine(ImVec2(p0.x + 2, 0.5f * (p0.y + p1.y)), ImVec2(p1.x - 2, 0.5f * (p0.y + p1.y)),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled));
    for (Eigen::Index i = 0; i < d.size(); ++i) {
      const double v = !line ? d.X(1, i) : d.is_regression() ? 2.0 * d.targets(i) : 0.0;
      const float x = p0.x + side * static_cast<float>(0.5 + 0.5 * d.X(0, i) / kExtent);
      const float y = p0.y + side * static_cast<float>(0.5 - 0.5 * v / kExtent);
      const ImU32 c = d.is_regression() ? target_colour(d.targets(i)) : class_colour(d.labels(i));
      list->AddRectFilled(ImVec2(x - dot, y - dot), ImVec2(x + dot, y + dot), c);
    }
    if (chosen || hovered)
      list->AddRect(p0, p1, ImGui::GetColorU32(chosen ? ImGuiCol_CheckMark : ImGuiCol_ButtonHovered), 3.0f,
                    0, chosen ? 2.0f : 1.0f);
    if (hovered) ImGui::SetTooltip("%s: %s", registry[k].name, registry[k].description);
    rects->push_back({registry[k].name, {p0.x, p0.y, side, side}});
  }
  return clicked;
}

} // namespace splinescope
