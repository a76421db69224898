// type.cpp - see type.h.
#include "type.h"

#include "imgui_renderer.h"
#include "layout.h"
#include "ui_font_embedded.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace splinescope {
static_assert(sizeof(ImWchar) == sizeof(ui_font::ranges[0]), "glyph ranges are 16-bit ImWchar");
namespace {

TypeFigures figures;

// The page's look at UI scale 1 (sizes in CSS px).
ImGuiStyle base_style(bool light) {
  ImGuiStyle style;
  if (light)
    ImGui::StyleColorsLight(&style);
  else
    ImGui::StyleColorsDark(&style);
  style.WindowRounding = 6.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.Colors[ImGuiCol_WindowBg].w = light ? 0.92f : 0.88f;
  if (light) style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.38f, 0.38f, 0.42f, 1.0f); // readable grey
  return style;
}

} // namespace

// The style for the scale; touch: controls kTouchTarget tall, more room between them, wider
// scroll bars and slider grabs.
void set_style(float ui_scale, float size_css, bool touch, bool light) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = base_style(light);
  style.ScaleAllSizes(ui_scale);
  if (touch) {
    style.FramePadding.y = std::max(style.FramePadding.y, std::ceil(0.5f * (kTouchTarget - size_css)));
    style.FramePadding.x = std::max(style.FramePadding.x, 10.0f);
    style.ItemSpacing = ImVec2(std::max(style.ItemSpacing.x, 6.0f), std::max(style.ItemSpacing.y, 6.0f));
    style.ScrollbarSize = std::max(style.ScrollbarSize, 22.0f);
    style.GrabMinSize = std::max(style.GrabMinSize, 28.0f);
  }
}

bool update_type(float pixel_ratio, float ui_scale, bool touch, bool light) {
  pixel_ratio = std::clamp(pixel_ratio, 0.5f, 4.0f);
  ui_scale = std::clamp(ui_scale, kMinUiScale, kMaxUiScale);
  if (pixel_ratio == figures.pixel_ratio && ui_scale == figures.ui_scale) {
    if (touch == figures.touch && light == figures.light) return false;
    set_style(ui_scale, figures.size_css, touch, light);
    figures.touch = touch;
    figures.light = light;
    figures.frame_height = figures.size_css + 2 * ImGui::GetStyle().FramePadding.y;
    return true;
  }
  ImGuiIO& io = ImGui::GetIO();
  const float size_css = std::round(kBaseTextSize * ui_scale);
  const float size_px = std::round(size_css * pixel_ratio);
  io.Fonts->Clear();
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false; // the bytes live in the binary
  // Sub-pixel horizontal positions matter at 1x; at 2x and above a texel is already small.
  config.OversampleH = pixel_ratio < 1.5f ? 2 : 1;
  config.OversampleV = 1;
  config.PixelSnapH = false;
  // ImGui takes a non-const pointer but does not write through it when it does not own the data.
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(ui_font::data), ui_font::size, size_px,
                                 &config, reinterpret_cast<const ImWchar*>(ui_font::ranges));
  io.FontGlobalScale = size_css / size_px;
  imgui_renderer_upload_fonts();

  set_style(ui_scale, size_css, touch, light);
  figures.touch = touch;
  figures.light = light;
  figures.frame_height = size_css + 2 * ImGui::GetStyle().FramePadding.y;
  figures.pixel_ratio = pixel_ratio;
  figures.ui_scale = ui_scale;
  figures.size_css = size_css;
  figures.size_px = size_px;
  figures.atlas_width = io.Fonts->TexWidth;
  figures.atlas_height = io.Fonts->TexHeight;
  const ImFont* font = io.Fonts->Fonts[0];
  figures.glyphs = font->Glyphs.Size;
  figures.greek = font->FindGlyphNoFallback(0x03C9) && font->FindGlyphNoFallback(0x2016) &&
                  font->FindGlyphNoFallback(0x2264);
  ++figures.builds;
  return true;
}

const TypeFigures& type_figures() { return figures; }

} // namespace splinescope
