// export_panel.cpp - the Export section of the main window: an image of the view (PNG at 1x, 2x,
// 4x or a chosen size; SVG of the exact tiles), the network and the session as JSON, the points
// and the training history as CSV, a WebM recording of the canvas, and opening a file.
//
// The buttons ask the page (window.splinescope.download in web/shell/files.js), which also serves
// host pages and tests, so there is one path for every export. The page runs the request after
// the frame: its offscreen rendering never interleaves with the frame's drawing.
#include "app.h"
#include "export_image.h"

#include <emscripten.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace splinescope {

namespace {

int png_choice = 1;               // 0: 1x, 1: 2x, 2: 4x the canvas; 3: width x height below
int png_custom[2] = {1920, 1080}; // pixels

void page_download(const char* kind, int width = 0, int height = 0) {
  // No top-level commas in EM_ASM's code: the preprocessor would split the macro argument there.
  EM_ASM(
      {
        var kind = UTF8ToString($0);
        var width = $1;
        var height = $2;
        setTimeout(
            function() {
              if (window.splinescope && window.splinescope.download)
                window.splinescope.download(kind, width, height);
            },
            0);
      },
      kind, width, height);
}

// Seconds since recording started, or -1 when not recording.
double recording_seconds() {
  return EM_ASM_DOUBLE({
    var s = window.splinescope;
    return s && s.recording_seconds ? s.recording_seconds() : -1;
  });
}

// The PNG size of the current choice, within kMaxExportSide (the aspect ratio kept).
void png_size(int* width, int* height) {
  if (png_choice == 3) {
    *width = std::clamp(png_custom[0], 16, kMaxExportSide);
    *height = std::clamp(png_custom[1], 16, kMaxExportSide);
    return;
  }
  const int factor = png_choice == 0 ? 1 : png_choice == 1 ? 2 : 4;
  const Canvas& canvas = app.pane().canvas; // compare mode: pane A's part of the canvas
  double w = std::max(1, canvas.css_width) * factor, h = std::max(1, canvas.css_height) * factor;
  const double fit = std::min(1.0, kMaxExportSide / std::max(w, h));
  *width = std::max(1, static_cast<int>(std::floor(w * fit)));
  *height = std::max(1, static_cast<int>(std::floor(h * fit)));
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

} // namespace

void export_section() {
  if (app.panes.size() > 1) ImGui::TextDisabled("Compare mode: the images are pane A's.");
  ImGui::TextDisabled("Image of the view");
  ImGui::RadioButton("1x", &png_choice, 0);
  ImGui::SameLine();
  ImGui::RadioButton("2x", &png_choice, 1);
  ImGui::SameLine();
  ImGui::RadioButton("4x", &png_choice, 2);
  ImGui::SameLine();
  ImGui::RadioButton("size", &png_choice, 3);
  if (png_choice == 3) {
    ImGui::InputInt2("width, height", png_custom);
    for (int& side : png_custom) side = std::clamp(side, 16, kMaxExportSide);
  }
  int width = 0, height = 0;
  png_size(&width, &height);
  char label[64];
  std::snprintf(label, sizeof label, "PNG %d x %d", width, height);
  if (ImGui::Button(label)) page_download("png", width, height);
  tooltip("The view without the panels: tiles, edges, decision boundary, highlighted neuron\n"
          "and points, rendered at this size (lines and points scale with it).");
  ImGui::SameLine();
  if (ImGui::Button("SVG")) page_download("svg");
  tooltip("The exact tiles, edges, decision boundary and points as vector graphics, in the\n"
          "app's colours (for slides and papers). Needs the view within 100,000 tiles.");

  ImGui::TextDisabled("Model and data");
  if (ImGui::Button("Network JSON")) page_download("network");
  tooltip("The weights in the network format (docs/network-format.md).");
  ImGui::SameLine();
  if (ImGui::Button("Session JSON")) page_download("session");
  tooltip("Every setting and the current weights: open it to continue where you were.");
  if (ImGui::Button("Points CSV")) page_download("data");
  tooltip("All points: x, y, label (or target), split (train/test), source (generated/hand).");
  ImGui::SameLine();
  if (ImGui::Button("Placed points")) page_download("points");
  tooltip("Only the points placed by hand, as CSV (x, y, label): open it to place them again.");
  ImGui::SameLine();
  if (ImGui::Button("History CSV")) page_download("history");
  tooltip("Per recorded step: losses, accuracies, tiles and local complexity (the charts).");
  if (ImGui::Button("Open file...")) page_download("open");
  tooltip("A network or session (.json), or points placed by hand (.csv).");
  ImGui::SameLine();
  ImGui::TextDisabled("or drop one on the page");

  ImGui::TextDisabled("Video of the canvas");
  const double seconds = recording_seconds();
  if (seconds >= 0) {
    std::snprintf(label, sizeof label, "Stop and save (%d:%02d)", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.6f, 0.15f, 0.15f, 1.0f));
    if (ImGui::Button(label)) page_download("record");
    ImGui::PopStyleColor();
  } else {
    if (ImGui::Button("Record WebM")) page_download("record");
    tooltip("Records the canvas (panels included) while you train; stop to save a .webm file.");
  }
}

} // namespace splinescope
