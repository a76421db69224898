// type.h - the interface's type: one embedded font (Inter, cmake/embed_font.cmake) rasterised at
// the screen's device pixel ratio, so text is as sharp at 2x and 3x as at 1x, and a UI scale for
// projectors and small screens.
//
// ImGui lays text out in CSS pixels; the atlas holds the glyphs at size x ratio device pixels and
// io.FontGlobalScale (1 / ratio) brings them back, so one texel is one device pixel.
#pragma once

namespace splinescope {

struct TypeFigures {
  float pixel_ratio = 0;   // the ratio the atlas was made for
  float ui_scale = 0;      // the UI scale it was made for
  bool touch = false;      // controls sized for fingers (the narrow layout, layout.h)
  bool light = false;      // the light theme's colours
  float size_css = 0;      // the body text's size, CSS px
  float size_px = 0;       // the same in device px: the atlas's glyph size
  int atlas_width = 0, atlas_height = 0;
  int glyphs = 0;          // glyphs in the atlas
  float frame_height = 0;  // a control's height, CSS px
  bool greek = false;      // ω, ‖ and ≤ are among them (the labels write A_ω, ‖A_ω‖)
  int builds = 0;          // how many times the atlas was made (a changed ratio or scale rebuilds)
};

inline constexpr float kBaseTextSize = 15.0f; // CSS px at UI scale 1
inline constexpr float kMinUiScale = 0.75f, kMaxUiScale = 2.5f;

// Makes the font atlas and the style for the ratio and scale if either differs from the last,
// and the style alone when only `touch` or `light` does (call between frames, before ImGui::NewFrame). True
// when it changed anything. touch: every control at least kTouchTarget CSS px tall.
bool update_type(float pixel_ratio, float ui_scale, bool touch, bool light);
const TypeFigures& type_figures();
// A size given in CSS px at UI scale 1 (a panel's width, a button's), at the current scale.
inline float ui_px(float css_px) { return css_px * (type_figures().ui_scale > 0 ? type_figures().ui_scale : 1.0f); }

} // namespace splinescope
