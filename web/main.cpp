// main.cpp - the SplineScope web app: SDL2 window with a WebGL2 context, Dear ImGui panels, and
// the tessellation of a network drawn by Renderer. Thin: the engine decides, this file draws.
//
// Index
//   [SECTION] App state
//   [SECTION] Page interface (window.splinescope, see web/index.html)
//   [SECTION] Frame
//   [SECTION] Start-up
#include "network.h"
#include "pixel_codes.h"
#include "renderer.h"

#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

using namespace splinescope;

// -----------------------------------------------------------------------------------------------
// [SECTION] App state
// -----------------------------------------------------------------------------------------------

namespace {

// Biases drawn N(0, 1) rather than near zero: with near-zero biases every line of an untrained
// ReLU network passes through the origin (the function is positively homogeneous), so the tiles
// would all be cones around it. Random offsets show a generic arrangement.
NetworkSpec default_spec() {
  NetworkSpec spec;
  spec.hidden = {16, 16};
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 1.0;
  return spec;
}

struct App {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  Renderer renderer;
  NetworkSpec spec = default_spec(); // 2 -> 16 -> 16 -> 1 ReLU
  Network network;
  int seed = 1;
  Window view;               // the input window shown on the canvas
  TileStyle style;
  int css_width = 0, css_height = 0;     // canvas size in CSS pixels
  int pixel_width = 0, pixel_height = 0; // drawable size in device pixels
  float pixel_ratio = 1.0f;
  long frames = 0;
  double fps = 0;
  double last_fps_time = 0;
  long frames_at_last_fps = 0;
  int grid_tiles = 0;        // distinct codes on a 256 x 256 grid over the view
  std::string info_json;     // storage for ss_info_json's result
};

App app;

// Square units, centred on the origin, [-3, 3] along the shorter side.
Window fit_view(int width, int height) {
  const double aspect = height > 0 ? static_cast<double>(width) / height : 1.0;
  const double half = 3.0;
  Window w;
  if (aspect >= 1) {
    w = Window{-half * aspect, half * aspect, -half, half};
  } else {
    w = Window{-half, half, -half / aspect, half / aspect};
  }
  return w;
}

int count_grid_tiles(const Network& net, const Window& view) {
  const auto hashes = pixel_code_hashes(net, view, 256, 256);
  std::set<std::uint64_t> distinct;
  for (const CodeHash& h : hashes) distinct.insert(h.value());
  return static_cast<int>(distinct.size());
}

void new_network(int seed) {
  app.seed = seed;
  app.network = make_network(app.spec, static_cast<std::uint64_t>(seed));
  app.renderer.set_network(app.network);
  app.grid_tiles = count_grid_tiles(app.network, app.view);
}

void report_error(const std::string& message) {
  std::fprintf(stderr, "SplineScope: %s\n", message.c_str());
  EM_ASM({ if (window.splinescope_fail) window.splinescope_fail(UTF8ToString($0)); },
         message.c_str());
}

std::string describe(const NetworkSpec& spec) {
  std::string s = std::to_string(spec.input_dim);
  for (int w : spec.hidden) s += " -> " + std::to_string(w);
  s += " -> " + std::to_string(spec.outputs) + " " + to_string(spec.activation);
  return s;
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Page interface (window.splinescope, see web/index.html)
// -----------------------------------------------------------------------------------------------

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* ss_info_json() {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"seed\":%d,\"architecture\":\"%s\",\"frames\":%ld,\"fps\":%.2f,"
                "\"canvas\":[%d,%d],\"pixels\":[%d,%d],\"pixel_ratio\":%.3f,"
                "\"view\":[%.17g,%.17g,%.17g,%.17g],\"grid_tiles\":%d,\"gl_version\":\"%s\"}",
                app.seed, describe(app.spec).c_str(), app.frames, app.fps, app.css_width,
                app.css_height, app.pixel_width, app.pixel_height, app.pixel_ratio, app.view.x0,
                app.view.x1, app.view.y0, app.view.y1, app.grid_tiles,
                reinterpret_cast<const char*>(glGetString(GL_VERSION)));
  app.info_json = buf;
  return app.info_json.c_str();
}

EMSCRIPTEN_KEEPALIVE void ss_new_network(int seed) { new_network(seed); }

// Renders code hashes on the GPU over the current view at width x height and compares them with
// the engine's CPU reference. Returns {"pixels":N,"mismatches":M,"distinct":D,
// "mismatches_away_from_edges":E} where the last counts mismatching pixels whose 3x3 CPU
// neighbourhood has a single code (so not within a pixel of an edge).
EMSCRIPTEN_KEEPALIVE const char* ss_compare_codes(int width, int height, int code_layers) {
  const auto gpu = app.renderer.read_code_hashes(app.view, width, height, code_layers);
  const auto cpu = pixel_code_hashes(app.network, app.view, width, height, code_layers);
  long mismatches = 0, interior_mismatches = 0;
  std::set<std::uint64_t> distinct;
  for (int j = 0; j < height; ++j) {
    for (int i = 0; i < width; ++i) {
      const std::size_t p = static_cast<std::size_t>(j) * width + i;
      distinct.insert(cpu[p].value());
      if (gpu[p] == cpu[p]) continue;
      ++mismatches;
      bool near_edge = false;
      for (int dj = -1; dj <= 1; ++dj)
        for (int di = -1; di <= 1; ++di) {
          const int ii = std::clamp(i + di, 0, width - 1), jj = std::clamp(j + dj, 0, height - 1);
          near_edge = near_edge || cpu[static_cast<std::size_t>(jj) * width + ii] != cpu[p];
        }
      if (!near_edge) ++interior_mismatches;
    }
  }
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"pixels\":%d,\"mismatches\":%ld,\"mismatches_away_from_edges\":%ld,"
                "\"distinct\":%zu}",
                width * height, mismatches, interior_mismatches, distinct.size());
  app.info_json = buf;
  return app.info_json.c_str();
}

} // extern "C"

// -----------------------------------------------------------------------------------------------
// [SECTION] Frame
// -----------------------------------------------------------------------------------------------

namespace {

void sync_canvas_size() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#stage", &css_w, &css_h);
  const int w = std::max(1, static_cast<int>(std::lround(css_w)));
  const int h = std::max(1, static_cast<int>(std::lround(css_h)));
  if (w != app.css_width || h != app.css_height) {
    SDL_SetWindowSize(app.window, w, h);
    app.css_width = w;
    app.css_height = h;
    app.view = fit_view(w, h);
    if (app.frames > 0) app.grid_tiles = count_grid_tiles(app.network, app.view);
  }
  SDL_GL_GetDrawableSize(app.window, &app.pixel_width, &app.pixel_height);
  app.pixel_ratio = app.css_width > 0 ? static_cast<float>(app.pixel_width) / app.css_width : 1.f;
}

void draw_panel() {
  ImGui::SetNextWindowPos(ImVec2(12, 12), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(280, 0), ImGuiCond_FirstUseEver);
  ImGui::Begin("SplineScope");
  ImGui::Text("%.1f fps", app.fps);
  ImGui::Text("network  %s", describe(app.spec).c_str());
  ImGui::Text("tiles on a 256x256 grid: %d", app.grid_tiles);
  int seed = app.seed;
  ImGui::SetNextItemWidth(120);
  if (ImGui::InputInt("seed", &seed)) new_network(std::max(0, seed));
  if (ImGui::Button("New network")) new_network(app.seed + 1);
  ImGui::TextDisabled("Each colour is one activation code:\na tile where the network is affine.");
  ImGui::End();
}

void frame() {
  SDL_Event event;
  while (SDL_PollEvent(&event)) ImGui_ImplSDL2_ProcessEvent(&event);
  sync_canvas_size();

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  draw_panel();
  ImGui::Render();

  app.renderer.draw(app.view, app.pixel_width, app.pixel_height, app.pixel_ratio, app.style);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

  ++app.frames;
  const double now = emscripten_get_now();
  if (now - app.last_fps_time >= 500.0) {
    app.fps = 1000.0 * (app.frames - app.frames_at_last_fps) / (now - app.last_fps_time);
    app.last_fps_time = now;
    app.frames_at_last_fps = app.frames;
  }
  if (app.frames == 1) {
    EM_ASM({ if (window.splinescope && window.splinescope._first_frame) window.splinescope._first_frame(); });
  }
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Start-up
// -----------------------------------------------------------------------------------------------

int main() {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    report_error(std::string("SDL could not start: ") + SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  app.window = SDL_CreateWindow("SplineScope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 960,
                                640, SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE |
                                         SDL_WINDOW_ALLOW_HIGHDPI);
  if (!app.window) {
    report_error(std::string("could not create the window: ") + SDL_GetError());
    return 1;
  }
  app.gl = SDL_GL_CreateContext(app.window);
  if (!app.gl) {
    report_error(std::string("could not create a WebGL2 context: ") + SDL_GetError());
    return 1;
  }
  SDL_GL_MakeCurrent(app.window, app.gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr; // nothing to persist on a web page's virtual file system
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 6.0f;
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg].w = 0.88f;
  ImGui_ImplSDL2_InitForOpenGL(app.window, app.gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  if (!app.renderer.init()) {
    report_error(app.renderer.error());
    return 1;
  }
  sync_canvas_size();
  new_network(app.seed);
  app.last_fps_time = emscripten_get_now();
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
