// names.h - parsing the names of the engine's enums, as written by their to_string().
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace splinescope {

// Sets *out to the value among `values` whose to_string() is `name`; false when there is none.
template <class Enum, std::size_t N>
bool parse_name(const std::string& name, const std::array<Enum, N>& values, Enum* out) {
  for (Enum v : values) {
    if (name == to_string(v)) {
      *out = v;
      return true;
    }
  }
  return false;
}

} // namespace splinescope
