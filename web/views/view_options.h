// view_options.h - how the canvas shows the network, as plain data shared by the renderer, the
// panels, the page interface and the URL state (web/url_state.h). No GL or SDL here, so the URL
// state is tested natively.
#pragma once

#include "names.h"

#include <array>
#include <string>

namespace splinescope {

// How tiles are filled.
//   code_hash:     one colour per activation code (the default)
//   gradient_norm: shade by |A_w| (the norm of the chosen output's gradient on the tile)
//   output:        the chosen output's value f_k(x) (regression) or class confidence (classes)
//   class_blend:   the code colour blended with the colour of the predicted class
enum class ColorMode { code_hash, gradient_norm, output, class_blend };

inline const char* to_string(ColorMode m) {
  switch (m) {
  case ColorMode::code_hash: return "code";
  case ColorMode::gradient_norm: return "gradient";
  case ColorMode::output: return "output";
  case ColorMode::class_blend: return "class";
  }
  return "code";
}
inline bool parse_color_mode(const std::string& name, ColorMode* out) {
  static const std::array<ColorMode, 4> all = {ColorMode::code_hash, ColorMode::gradient_norm,
                                               ColorMode::output, ColorMode::class_blend};
  return parse_name(name, all, out);
}

// How region edges are drawn.
//   mono:  translucent dark lines (the default)
//   layer: each edge in the colour of the hidden layer whose neuron made it (layer_colour(),
//          engine/code_hash.h); the sides of the window are not drawn
enum class EdgeColour { mono, layer };

inline const char* to_string(EdgeColour c) { return c == EdgeColour::layer ? "layer" : "mono"; }
inline bool parse_edge_colour(const std::string& name, EdgeColour* out) {
  static const std::array<EdgeColour, 2> all = {EdgeColour::mono, EdgeColour::layer};
  return parse_name(name, all, out);
}

// The page's colours: light (white panels, tiles washed toward white, for slides and print),
// dark, or automatic (the reader's prefers-color-scheme).
enum class Theme { automatic, light, dark };

inline const char* to_string(Theme t) {
  return t == Theme::light ? "light" : t == Theme::dark ? "dark" : "auto";
}
inline bool parse_theme(const std::string& name, Theme* out) {
  static const std::array<Theme, 3> all = {Theme::automatic, Theme::light, Theme::dark};
  return parse_name(name, all, out);
}
// How far the light theme moves tile colours toward white (TileStyle::wash).
inline constexpr float kLightThemeWash = 0.35f;

} // namespace splinescope
