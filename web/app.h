// app.h - the page's state, shared by the frame loop (main.cpp), the panels (panels.cpp) and the
// page interface (page_api.cpp): the panes (pane.h: a session and its view each), training
// control, input, the canvas, the panels and what the address fixes. The engine's Session owns
// everything about training; views draw the pane they are given and do not read this.
#pragma once

#include "geometry.h"
#include "layout.h"
#include "lesson_claims.h"
#include "network_graph.h"
#include "pace.h"
#include "pane.h"
#include "pixel_codes.h"
#include "renderer.h"
#include "session.h"
#include "url_state.h"

#include <SDL.h>

#include <array>
#include <functional>
#include <memory>
#include <string>

namespace splinescope {

struct App {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  SessionConfig pending;        // what the settings panels edit; applied by apply_settings()

  // Training loop
  bool playing = false;
  double pace = kDefaultPace;   // steps per second (0: as fast as possible; pace.h)
  PaceClock pace_clock;         // the in-page trainer's steps due at the pace
  float speed = 1.0f;           // at the fastest pace: multiplies the training time budget
  double step_ms = 0.05;        // running estimate of one optimiser step's cost
  int frame_steps = 0;          // steps trained in the last frame (0: start slowly)
  double frame_ms = 16.7;       // running estimate of the frame interval
  double steps_per_second = 0;
  std::int64_t steps_at_last_rate = 0;
  double last_rate_time = 0;
  std::int64_t run_until = -1;  // pause when the step count reaches this (-1: never)

  // The panes (pane.h): one, or in compare mode two to four (compare.h); the panels and the page
  // interface act on pane(), the first, whose view and display the others follow.
  std::vector<std::unique_ptr<Pane>> panes;
  Pane& pane() { return *panes.front(); }
  SessionConfig compare_base;   // compare mode: the page's settings, which each pane changes

  // Canvas and panels
  Sheet sheet = Sheet::none;    // narrow screens: the settings or the charts open (layout.h)
  bool was_narrow = false;      // the last frame used the narrow layout
  bool show_inspector = true;   // tooltip with the code and affine piece under the cursor
  // The pinned Inspector window: everything about one point of the plane, live while training,
  // with a grid of the neurons' pre-activations that selects the highlighted neuron.
  bool inspector_open = false;
  bool inspector_pinned = false;
  double pin_x = 0, pin_y = 0;  // the pinned point (input plane)
  // Where the last frame drew the neuron grid (CSS pixels), for state() and tests: the top left
  // of each hidden layer's first cell, the cell pitch and the cells per row.
  std::vector<std::pair<float, float>> inspector_rows;
  float inspector_pitch = 0;
  int inspector_per_row = 0;
  std::vector<std::string> charts_drawn; // the charts drawn in the last frame (state())
  bool charts_log = true;                // the loss chart's axis in powers of ten
  std::string charts_loss_label;         // the loss figures the Charts window printed last
  // The Data section's dataset thumbnails as last drawn (name, x, y, w, h; empty when closed).
  std::vector<std::pair<std::string, std::array<float, 4>>> dataset_thumbnail_rects;
  std::vector<std::array<float, 4>> chart_rects; // each drawn chart's frame (x, y, w, h), as charts_drawn
  NetworkGraph graph;             // the network graph panel (network_graph.h)
  int graph_choice = -1;          // the graph shown (1) or hidden (0) by the reader; -1: graph_open()
  int css_width = 0, css_height = 0;     // canvas size in CSS pixels
  int pixel_width = 0, pixel_height = 0; // drawable size in device pixels
  float pixel_ratio = 1.0f;
  float ui_scale = 1.0f;          // the interface's size (type.h): text and controls
  Theme theme = Theme::automatic; // as set (url_state.h)
  bool prefers_light = false;     // the reader's prefers-color-scheme, read every second or so
  bool light() const { return theme == Theme::light || (theme == Theme::automatic && prefers_light); }

  // Input
  int add_class = 0;            // class of points added by clicking
  bool dragging = false;
  bool mouse_over_canvas = false; // set by real mouse motion, cleared when the mouse leaves
  float drag_distance = 0;

  // Where the main thread's frame time goes (running averages, ms): training, the exact
  // tessellation, building the panels, and the GL calls of the tiles, the points and the panels
  // (which include waiting for the GPU when it is behind). Reported in state().timing.
  struct {
    double train_ms = 0, geometry_ms = 0, panels_ms = 0, tiles_ms = 0, points_ms = 0, ui_ms = 0;
  } timing;
  double frame_geometry_ms = 0; // this frame's geometry refreshes (the graph's refresh waits)

  // Frame statistics
  long frames = 0;
  double fps = 0;
  double last_fps_time = 0;
  long frames_at_last_fps = 0;
  double last_frame_end = 0; // emscripten_get_now() when the last frame() returned

  // Page state beyond the session and the view (url_state.h): what a link or an embed fixes.
  bool autoplay = false;        // the loaded state starts training
  // prefers-reduced-motion: nothing starts moving by itself until the user has pressed Play once
  // (a link's or a lesson's autoplay waits: autoplay_held).
  bool reduced_motion = false;
  bool user_played = false;
  bool autoplay_held = false;
  std::int64_t run_steps = 0;   // ... and pauses after this many steps (0: no limit)
  bool embed = false;           // compact page for iframes
  unsigned panels = kAllPanels; // Panel bits: which panels show
  std::string caption;          // shown under the canvas ("" : the lesson's caption, if any)
  std::string lesson;           // lesson the state started from
  float caption_height = 0;     // of the caption band in the last frame (0: none)
  std::vector<std::string> url_notes; // problems found in the last address read
  std::string page_url;         // the page's address without query and fragment
  std::string address_state;    // the state last written to the address bar
  bool show_share = false;      // the share and embed window
  bool show_lessons = false;    // the lessons gallery

  // Messages shown to the user (clamped settings, refused changes, load errors)
  std::string notice;
  double notice_until = 0;
  bool show_help = false;
  std::string scratch;          // storage for strings returned to JavaScript
};

extern App app;

// main.cpp
// The disk of radius 3 about the origin (where the datasets lie), as large as it fits in the
// largest part of a width x height canvas that the panels leave free (settings, charts,
// caption), and centred there; in the 3-D view, the disk's square about the origin.
Window fit_view(int width, int height);
// Sets the view to fit_view() of the canvas, and keeps it there as the canvas and the panels
// change, until the view is panned or zoomed.
void fit_the_view();
void apply_settings(const SessionConfig& next);
void notify(const std::string& message, double seconds = 6.0);
void on_network_changed(); // weights changed: redraw, recount (every pane)
void on_data_changed();    // points changed
// The page's settings: the one pane's, or in compare mode those the panes share.
const SessionConfig& page_settings();
// A fresh network from the seed in every pane.
void reset_run();
// A point edit made in every pane's session (compare mode: the same data); true when it changed
// anything.
bool edit_points(const std::function<bool(Session&)>& edit);
// Point edits that say what they did in a note: false when there was nothing to do.
bool clear_placed_points();
bool undo_point_edit();
// True when a press at (x, y) (CSS pixels) lands on a panel, judged by the panels' rectangles as
// last drawn, not by the previous frame's hover: a quick move onto a button and a click within
// one frame (or a first tap) must not also reach the canvas.
bool point_over_panel(float x, float y);
// Brings app.neuron_activity and app.neuron_note up to date with the highlight, the weights, the
// view and the data (cheap when nothing changed).
void update_neuron_note();
void set_playing(bool playing);
// True when keys go to the panels (a control in use, a modal, keyboard navigation under way), not
// to the page's shortcuts.
bool keys_for_panels();
// The focused pane's 3-D view on or off (a drag in progress ends).
void switch_view_3d(bool on);
// The whole canvas (where one pane draws; compare mode's panes each draw in a part, pane.canvas).
Canvas whole_canvas();
void train_steps(int steps);
void zoom_view(double factor, double x, double y);
// Input-plane coordinates of a point on the canvas (CSS pixels from the top left).
void canvas_to_world(double px, double py, double* x, double* y);

// The network on the canvas: the live one, or a timeline snapshot while replaying.
const Network& shown_network();
// Show snapshot `index` of the timeline (-1: live) and pause training while replaying.
void set_replay(int index);
// The step of the network on the canvas (the snapshot's while replaying): the one step figure
// every panel shows.
std::int64_t shown_step();

// panels.cpp
void draw_panels();
// The network graph shows: as the reader chose, else on screens of at least kGraphMinWidth x
// kGraphMinHeight, where it fits under the charts, beside the data.
inline constexpr int kGraphMinWidth = 1000, kGraphMinHeight = 720; // CSS px
bool graph_open();
// Pins the Inspector on a point of the input plane and opens its window.
void pin_inspector(double x, double y);

// sharing.cpp: page state, the address bar, sharing, embedding and lessons.
PageState capture_page_state();
// Applies a page state: settings (a new network when data or architecture change), view, overlays,
// panels; starts training when the state says so.
void apply_page_state(const PageState& state);
// Reads an address (query and/or fragment) over the defaults, applies it and shows its notes.
std::vector<std::string> load_address(const std::string& text);
// Writes the current state into the address bar when it changed (at most twice a second).
void sync_address(double now);
std::string share_link();    // the page's address with the current state
std::string embed_snippet(); // an iframe for the state chosen in the share window
void share_window();
void lessons_window();
// Opens a lesson the way the Lessons window does: the previous setup stays one Back away in the
// browser's history. False for an unknown id.
bool open_lesson(const std::string& id);
void embed_overlays(); // caption, the play button of a bare canvas, the link to the full page
// The lesson's claim measured on the canvas's run (not measured: no lesson, a lesson without a
// measured claim, or a caption of the link's own).
ClaimReading lesson_claim();
bool panel_shown(unsigned panel);
// export_panel.cpp: the Export section of the main window
void export_section();
// compare_panel.cpp: the Compare section; the panes of compare mode (fewer than two specs: one
// pane), over the page's settings, with a note for what they could not take.
void compare_section();
void set_compare_panes(const std::vector<std::string>& specs);

} // namespace splinescope
