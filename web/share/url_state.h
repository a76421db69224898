// url_state.h - the page's whole state as URL keys (`#data=moons&layers=8,8&play=1`), so a link
// or an iframe reproduces a setup exactly.
//
// One table (url_keys() in url_state.cpp) names every key, its group and meaning, how it is read
// and how it is written; docs/embedding.md lists the same keys. Reading never fails: an unknown key
// is ignored with a note, a malformed value keeps the default with a note naming the key, and a
// value out of range is clamped with a note. Writing emits only the keys that differ from the
// defaults, in table order, so links stay short and stable.
//
// Pure C++ (no GL, SDL or emscripten): the native tests check it.
#pragma once

#include "pace.h"
#include "pixel_codes.h"
#include "session.h"
#include "view_options.h"

#include <cstdint>
#include <array>
#include <string>
#include <vector>

namespace splinescope {

// The app's panels, for embedding: which ones a page shows.
enum Panel : unsigned {
  kPanelControls = 1u << 0,  // play, pause, step, reset, speed and the live figures
  kPanelData = 1u << 1,
  kPanelNetwork = 1u << 2,
  kPanelOptimizer = 1u << 3,
  kPanelView = 1u << 4,
  kPanelExport = 1u << 5,
  kPanelCharts = 1u << 6,    // loss, accuracy, tiles, local complexity and the timeline
  kPanelLessons = 1u << 7,
  kPanelInspector = 1u << 8, // the tooltip over the canvas and the pinned Inspector window
  kPanelGraph = 1u << 9,     // the network graph (wide screens)
  kAllPanels = (1u << 10) - 1
};

struct PageState {
  SessionConfig session;
  // Image data: the plane through these three training images (indices in the published
  // training set; -1: the default three, slice_view.h).
  std::array<long, 3> images{{-1, -1, -1}};
  bool plane_orthonormal = false; // the plane's axes: orthonormal, or a, b, c at the unit triangle

  // View
  // The input window: centre and half the extent of the canvas's shorter side, so that a link
  // shows the same region on any canvas shape. The defaults are the app's fitted view.
  double view_x = 0, view_y = 0, view_radius = 3;
  bool view_fit = true; // view=fit: the app fits the view to its canvas and panels (the above unused)
  ColorMode color_mode = ColorMode::code_hash;
  int output_index = 0;
  int code_layers = -1;    // colour by the codes of layers 1..code_layers (-1: all)
  bool view_3d = false;
  double orbit_yaw = -1.15, orbit_pitch = 0.62; // radians (as App's defaults)
  int neuron_layer = 0, neuron_unit = 0;       // highlighted neuron (layer 1-based; 0: none)
  bool edges = true, boundary = true, points = true, test_points = true;
  EdgeColour edge_colour = EdgeColour::mono;
  bool exact = true;       // exact tiles as polygons (within the tile budget)
  bool bn_batch = false;   // batch norm drawn with a training batch's statistics (batch_view.h)
  double ui_scale = 1.0;   // the interface's text and controls (projectors: larger)
  Theme theme = Theme::automatic;

  // Training
  double pace = kDefaultPace; // steps per second; 0: as fast as possible (pace.h)
  double speed = 1.0;         // at the fastest pace, the share of the machine training takes
  bool autoplay = false;
  std::int64_t run_steps = 0; // with autoplay: pause after this many steps (0: no limit)

  // Embedding
  bool embed = false;      // compact page for iframes: no help or lessons window, a caption
  unsigned panels = kAllPanels;
  std::string caption;
  std::string lesson;      // the lesson whose state this started from ("" for none)

  // Compare mode: 2 to kMaxComparePanes panes, each this page's settings with its own changes
  // ("bn:1", "layers:64;lr:0.01": Network and Training keys as key:value, ';' between them);
  // empty: one pane. Canonical: each pane's keys in table order, as the keys write them.
  std::vector<std::string> compare;
};

inline constexpr int kMaxComparePanes = 4;

// One URL key. `read` returns false when the value is unusable (the field keeps its value) and may
// set *note when it adjusted the value (clamped, truncated); `write` gives the value's text.
struct UrlKey {
  const char* name;
  const char* group;       // Data, Network, Training, View, Embedding
  const char* description; // one line: values and meaning
  bool (*read)(PageState& state, const std::string& value, std::string* note);
  std::string (*write)(const PageState& state);
};
const std::vector<UrlKey>& url_keys();

struct DecodedState {
  PageState state;
  std::vector<std::string> notes; // one sentence per key ignored, defaulted or clamped
};

// Reads `text` ("?a=1&b=2", "#a=1", "a=1&b=2", or a whole URL: the query and the fragment are both
// read, the fragment last) over `base`. A `lesson` key loads the lesson first; the other keys
// then override it, whatever their order. The result always passes validate(state.session).
DecodedState decode_page_state(const std::string& text, const PageState& base = PageState{});

// "key=value&key=value" for every key whose value differs from PageState{} (no leading '#').
std::string encode_page_state(const PageState& state);

// A compare pane's settings: `spec` ("bn:1;lr:0.01") read over `base`. Only the Network and
// Training keys that shape a run may differ between panes (not pace, speed, play or steps, which
// the panes share); anything else, a malformed value or settings that do not validate add a note
// and leave that part as in `base`. *canonical (optional) receives the spec in canonical form.
SessionConfig compare_pane_config(const SessionConfig& base, const std::string& spec,
                                  std::vector<std::string>* notes, std::string* canonical = nullptr);

// The window of a canvas width x height (any units) with this centre and half shorter side.
Window window_around(double x, double y, double radius, int width, int height);

// Percent-encoding for URL values ("+" and "%20" both decode to a space).
std::string url_encode(const std::string& text);
std::string url_decode(const std::string& text);

// A number as the shortest text that reads back to the same double.
std::string format_number(double value);
// A single-precision setting (a slider's value) as the shortest text that reads back to the same
// float: 0.1f is "0.1", not "0.10000000149011612".
std::string format_number(float value);
// The double that a float setting stands for: the shortest decimal that reads back to `value`
// (0.1f gives the double 0.1), so a setting made with a float slider is written as the user saw it.
double shortest_double(float value);

} // namespace splinescope
