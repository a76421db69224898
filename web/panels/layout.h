// layout.h - where the panels go on each screen.
//
// Wide screens (more than kNarrowWidth CSS px): the settings at the top left, the charts at the
// top right, and the data fitted in the largest part of the canvas they leave free (fit_view in
// main.cpp). Narrow screens (phones, the full page): a bar across the top holds Play, Step, Reset,
// the pace and the live figures, always in reach; the settings and the charts open on demand, one
// at a time, as a sheet over the lower part of the screen; every control is at least
// kTouchTarget CSS px tall. An embed keeps the wide layout (its host chose the panels and size).
#pragma once

namespace splinescope {

inline constexpr float kNarrowWidth = 600;  // CSS px
inline constexpr float kTouchTarget = 44;   // CSS px: the least height of a control on a phone

enum class Sheet { none, settings, charts };

// True when this frame uses the narrow layout.
bool narrow_layout();
// The bar across the top of a narrow screen.
void top_bar();
// Before a settings or charts window's Begin on a narrow screen: places it as the sheet.
void place_sheet();
// Inside a sheet: a finger dragged on its background scrolls it (ImGui scrolls by wheel and
// scroll bar only).
void touch_scroll();
// The buttons that drive training (Play or Pause, Step, Reset) and the pace; compact: touch
// sized, with the Settings and Charts toggles of the narrow layout after them.
void training_buttons(bool compact);

} // namespace splinescope
