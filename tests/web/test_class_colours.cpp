// Tests of the class colours (web/views/class_colours.h): the shaders' copies of the table equal
// it, and its colours are distinct.
#include "class_colours.h"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

using namespace splinescope;

namespace {

std::string read_shader(const std::string& name) {
  std::ifstream file(SPLINESCOPE_SOURCE_DIR "/shaders/" + name);
  REQUIRE_MESSAGE(file.good(), name);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

struct GlslTable {
  int declared = 0; // the N of `const vec3 name[N] = vec3[N](...)`
  std::vector<Rgb> colours;
};

// The vec3 array constant `name` of a GLSL source (empty when there is none).
GlslTable glsl_table(const std::string& source, const std::string& name) {
  GlslTable table;
  const std::regex head("const\\s+vec3\\s+" + name +
                        "\\s*\\[\\s*(\\d+)\\s*\\]\\s*=\\s*vec3\\s*\\[\\s*(\\d+)\\s*\\]\\s*\\(");
  std::smatch m;
  if (!std::regex_search(source, m, head)) return table;
  table.declared = std::stoi(m[1].str());
  if (std::stoi(m[2].str()) != table.declared) table.declared = -1;
  const std::size_t begin = static_cast<std::size_t>(m.position(0) + m.length(0));
  const std::size_t end = source.find(");", begin);
  const std::string body = source.substr(begin, end - begin);
  const std::string number = "\\s*([-0-9.eE+]+)\\s*";
  const std::regex entry("vec3\\s*\\(" + number + "," + number + "," + number + "\\)");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), entry);
       it != std::sregex_iterator(); ++it)
    table.colours.push_back(Rgb{std::stof((*it)[1].str()), std::stof((*it)[2].str()),
                                std::stof((*it)[3].str())});
  return table;
}

void check_equals_class_colours(const std::string& file, const std::string& name) {
  const GlslTable table = glsl_table(read_shader(file), name);
  INFO(file << ": " << name);
  CHECK(table.declared == kClassColourCount);
  REQUIRE(table.colours.size() == static_cast<std::size_t>(kClassColourCount));
  for (int k = 0; k < kClassColourCount; ++k) {
    INFO("class " << k);
    // The same decimal literals, so the same floats.
    CHECK(table.colours[k].r == kClassColours[k].r);
    CHECK(table.colours[k].g == kClassColours[k].g);
    CHECK(table.colours[k].b == kClassColours[k].b);
  }
}

} // namespace

TEST_CASE("the shaders' class colour tables equal the C++ table entry by entry") {
  check_equals_class_colours("points.frag", "kClassColours");
  check_equals_class_colours("colour_modes.glsl", "kModeClassColours");
}

TEST_CASE("the class colours cover every output and keep Okabe-Ito's eight first, in order") {
  CHECK(kClassColourCount >= kMaxOutputs);
  CHECK(kClassColourCount >= kMaxToyClasses);
  // Okabe-Ito: blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, and a
  // near black.
  const Rgb okabe_ito[8] = {{0.000f, 0.447f, 0.698f}, {0.902f, 0.624f, 0.000f},
                            {0.000f, 0.620f, 0.451f}, {0.800f, 0.475f, 0.655f},
                            {0.337f, 0.706f, 0.914f}, {0.835f, 0.369f, 0.000f},
                            {0.941f, 0.894f, 0.259f}, {0.100f, 0.100f, 0.100f}};
  for (int k = 0; k < 8; ++k) {
    CHECK(kClassColours[k].r == okabe_ito[k].r);
    CHECK(kClassColours[k].g == okabe_ito[k].g);
    CHECK(kClassColours[k].b == okabe_ito[k].b);
  }
  // Every pair of classes differs clearly (sRGB distance; the choice itself is argued in
  // docs/decisions.md with CIEDE2000 under colour-vision deficiencies).
  for (int a = 0; a < kClassColourCount; ++a)
    for (int b = a + 1; b < kClassColourCount; ++b) {
      const double d = std::hypot(kClassColours[a].r - kClassColours[b].r,
                                  kClassColours[a].g - kClassColours[b].g,
                                  kClassColours[a].b - kClassColours[b].b);
      INFO("classes " << a << " and " << b);
      CHECK(d > 0.2);
    }
}

TEST_CASE("every label has a colour index within the table, each class its own") {
  for (int label = 0; label < kClassColourCount; ++label) CHECK(class_colour_index(label) == label);
  CHECK(class_colour_index(8) == 8);
  CHECK(class_colour_index(9) == 9);
  CHECK(class_colour_index(-1) == 0);
  CHECK(class_colour_index(kClassColourCount) == kClassColourCount - 1);
  CHECK(&class_rgb(9) == &kClassColours[9]);
}
