// export_api.cpp - the export and file functions the page calls through window.splinescope (see
// web/shell/files.js): images, SVG, JSON and CSV downloads, and loading a file
// (network, session or points) without losing the current state when it is bad.
#include "page_api.h"
#include "export_image.h"
#include "file_kind.h"
#include "serialize.h"
#include "session_tables.h"

#include <emscripten.h>

#include <string>
#include <vector>

using namespace splinescope;

namespace {

std::vector<unsigned char> image; // the last rendered image, until the page has copied it
std::string image_error;

// Applies a session document. When its weights do not fit after the settings were applied, the
// previous settings and network are put back, so a bad file never loses the current state.
std::string load_session(const std::string& text) {
  const LoadResult<SessionDocument> doc = session_from_json(text);
  if (!doc.ok()) return doc.error;
  Session& s = *app.pane().session;
  const SessionConfig previous = s.config();
  const Network previous_network = s.network();
  const std::string refused = s.apply(doc.value.config);
  if (!refused.empty()) return refused;
  if (doc.value.weights) {
    const std::string e = s.load_network(*doc.value.weights);
    if (!e.empty()) {
      s.apply(previous);
      s.load_network(previous_network);
      app.pending = s.config();
      on_network_changed();
      on_data_changed();
      return e;
    }
  }
  return "";
}

std::string load_file(const std::string& name, const std::string& text) {
  const std::string label = name.empty() ? "the file" : name;
  Session& s = *app.pane().session;
  switch (detect_file_kind(name, text)) {
  case FileKind::empty:
    return label + " is empty";
  case FileKind::network: {
    const LoadResult<Network> net = network_from_json(text);
    if (!net.ok()) return label + ": " + net.error;
    const std::string e = s.load_network(net.value);
    if (!e.empty()) return label + ": " + e;
    break;
  }
  case FileKind::session: {
    const std::string e = load_session(text);
    if (!e.empty()) return label + ": " + e;
    break;
  }
  case FileKind::other_json: {
    const std::string format = document_format(text);
    if (!format.empty())
      return label + ": a \"" + format + "\" document; SplineScope opens \"" + kNetworkFormat +
             "\" and \"" + kSessionFormat + "\" documents and points as CSV";
    // Malformed JSON or no format field: the network reader names the problem.
    const LoadResult<Network> net = network_from_json(text);
    return label + ": not a SplineScope network or session (" +
           (net.ok() ? std::string("no \"format\" field") : net.error) + ")";
  }
  case FileKind::points_table:
    return label + ": a table of all points (x,y,label,split,source) is for analysis only; to "
                   "place points, open a points CSV (x,y,label), as \"Placed points CSV\" saves";
  case FileKind::points_csv: {
    const CsvResult r = s.import_points(text);
    if (!r.ok) return label + ": " + r.error;
    on_data_changed();
    notify("Loaded " + std::to_string(r.rows) + " points placed by hand from " + label);
    return "";
  }
  }
  app.pending = s.config();
  set_playing(false);
  set_replay(-1);
  on_network_changed();
  on_data_changed();
  notify("Loaded " + label);
  return "";
}

} // namespace

extern "C" {

// Renders the view into an offscreen image of width x height (see render_view_image). Returns a
// pointer to its RGBA bytes (top row first), valid until ss_release_image or the next call, or 0
// (ss_image_error tells why).
EMSCRIPTEN_KEEPALIVE unsigned char* ss_render_image(int width, int height) {
  try {
    image_error = render_view_image(width, height, &image);
  } catch (const std::exception& e) {
    image_error = std::string("internal error: ") + e.what();
  } catch (...) {
    image_error = "internal error";
  }
  if (!image_error.empty()) {
    image.clear();
    return nullptr;
  }
  return image.data();
}
EMSCRIPTEN_KEEPALIVE const char* ss_image_error() {
  return image_error.c_str();
}
EMSCRIPTEN_KEEPALIVE void ss_release_image() {
  std::vector<unsigned char>().swap(image);
}

// Frames drawn so far: exports wait for one more so that what they draw is uploaded.
EMSCRIPTEN_KEEPALIVE int ss_frame_count() {
  return static_cast<int>(app.frames);
}

// The SVG of the exact tiles, or "error: ..." when the view has too many.
EMSCRIPTEN_KEEPALIVE const char* ss_export_svg() {
  return guarded_text([] {
    std::string error;
    std::string svg = view_svg(&error);
    return keep(error.empty() ? svg : "error: " + error);
  });
}

// All points (x,y,label,split,source) and the training history, as CSV (session_tables.h).
EMSCRIPTEN_KEEPALIVE const char* ss_data_csv() {
  return guarded_text([] { return keep(points_table_csv(*app.pane().session)); });
}
EMSCRIPTEN_KEEPALIVE const char* ss_history_csv() {
  return guarded_text([] { return keep(history_csv(app.pane().session->history().items())); });
}

// Loads a file's text: a network, a session or points (CSV), as detect_file_kind decides. Returns
// "" or the error (also shown in the app); on error nothing changed.
EMSCRIPTEN_KEEPALIVE const char* ss_load_file(const char* name, const char* text) {
  const char* result =
      guarded_text([=] { return keep(load_file(name ? name : "", text ? text : "")); });
  if (*result) notify(std::string("Not loaded: ") + result, 10.0);
  return result;
}

} // extern "C"
