// class_colours.h - the colour of each class: the one table behind the data points (2-D and 3-D),
// the predicted-class colour modes, the legend, the dataset thumbnails and exported SVGs.
//
// The shaders cannot include a C++ header, so shaders/points.frag (kClassColours) and
// shaders/colour_modes.glsl (kModeClassColours) repeat it literally; a native test
// (tests/web/test_class_colours.cpp) reads both files and checks they equal this table.
//
// Okabe-Ito's eight first (distinguishable with the common colour-vision deficiencies), then two
// of Paul Tol's for classes 8 and 9 (a 10-class image dataset): his muted "wine" (dark) and light
// "pink" (light), see docs/decisions.md "Ten class colours".
#pragma once

#include "code_hash.h"
#include "engine_limits.h"

namespace splinescope {

constexpr int kClassColourCount = 10;
static_assert(kClassColourCount >= kMaxOutputs && kClassColourCount >= kMaxToyClasses,
              "every class of every dataset has a colour of its own");

// A regression target t in [-1, 1] mixes the first two.
constexpr Rgb kClassColours[kClassColourCount] = {
    {0.000f, 0.447f, 0.698f}, // blue
    {0.902f, 0.624f, 0.000f}, // orange
    {0.000f, 0.620f, 0.451f}, // bluish green
    {0.800f, 0.475f, 0.655f}, // reddish purple
    {0.337f, 0.706f, 0.914f}, // sky blue
    {0.835f, 0.369f, 0.000f}, // vermillion
    {0.941f, 0.894f, 0.259f}, // yellow
    {0.100f, 0.100f, 0.100f}, // near black
    {0.533f, 0.133f, 0.333f}, // wine (Tol, muted: #882255)
    {1.000f, 0.667f, 0.733f}, // pink (Tol, light: #FFAABB)
};

// The table's index for a class label; labels beyond the table (none today) take the last colour,
// as the shaders' clamp does.
constexpr int class_colour_index(int label) {
  return label < 0 ? 0 : label >= kClassColourCount ? kClassColourCount - 1 : label;
}

constexpr const Rgb& class_rgb(int label) { return kClassColours[class_colour_index(label)]; }

} // namespace splinescope
