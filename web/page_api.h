// page_api.h - what the files exporting functions to the page (page_api.cpp, export_api.cpp)
// share: strings handed to JavaScript, and the guard that turns any exception into a message.
// Include only in files compiled with -fexceptions (see web/CMakeLists.txt).
#pragma once

#include "app.h"

#include <exception>
#include <string>

namespace splinescope {

// Keeps `text` alive until the next call and returns it for JavaScript to copy.
inline const char* keep(std::string text) {
  app.scratch = std::move(text);
  return app.scratch.c_str();
}

// The page interface must never take the page down: anything thrown below becomes a message.
template <class F> const char* guarded_text(F f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return keep(std::string("internal error: ") + e.what());
  } catch (...) {
    return keep("internal error");
  }
}
template <class F> void guarded(F f) {
  try {
    f();
  } catch (const std::exception& e) {
    notify(std::string("internal error: ") + e.what());
  } catch (...) {
    notify("internal error");
  }
}

} // namespace splinescope
