// renderer.h - WebGL2 drawing of the tessellation: per-pixel activation codes in a fragment shader.
//
// The tile image is rendered into an offscreen texture only when the network, the view or the
// canvas size changed, and copied to the screen every frame; ImGui draws on top.
#pragma once

#include "geometry.h"
#include "network.h"
#include "pixel_codes.h"
#include "view_options.h"

#include <GLES3/gl3.h>

#include <string>
#include <vector>

namespace splinescope {

// What the outputs mean, for the colour modes: a regression value, one binary logit, or C logits.
enum class OutputKind { regression, binary, classes };

// Multiply-adds one frame's per-pixel pass may spend at budget scale 1 (pixels x the network's
// multiply-adds), sized for a software renderer: the unrolled shader's, where a small network's
// full-resolution canvas fits at once, and the loop shader's (large networks), which fetches
// every weight from a texture and runs some 50 times slower there. The app scales them with the
// frame rate (App::pixel_budget_scale), up to kMaxPixelBudgetScale on a fast GPU.
constexpr double kPixelMacBudget = 1.5e9, kLoopPixelMacBudget = 3e7;
constexpr double kMaxPixelBudgetScale = 64;

struct TileStyle {
  int code_layers = -1;          // hidden layers whose codes colour the tiles (-1: all)
  float edge_width = 1.0f;       // region edges, in CSS pixels (0: off)
  EdgeColour edge_colour = EdgeColour::mono; // dark, or each in its layer's colour
  float boundary_width = 2.5f;   // decision boundary, in CSS pixels (0: off)
  ColorMode color_mode = ColorMode::code_hash;
  int output_index = 0;          // output (logit) used by the output and gradient colour modes
  // Set by the app from the network, its data and the view (update_colour_scales, colouring.h).
  OutputKind output_kind = OutputKind::binary;
  float value_scale = 1.0f;      // regression: |f| drawn at full colour
  float gradient_scale = 1.0f;   // gradient norm at the top of the colour map
  float wash = 0.0f;             // tile colours moved this far to white (the light theme)
  bool light = false;            // the light theme: a light background where no tile is drawn
};

// The background behind the tiles and the 3-D scene, RGB in 0..1.
inline const float* background_rgb(const TileStyle& style) {
  static const float dark[3] = {0.106f, 0.114f, 0.141f}, light[3] = {0.955f, 0.955f, 0.965f};
  return style.light ? light : dark;
}

// "#version 300 es" and precision statements, for every shader.
extern const char* const kShaderPrelude;
// Compiles and links a program; 0 (with the log in *error) on failure.
GLuint link_program(const std::string& vertex, const std::string& fragment, std::string* error);

class Renderer {
public:
  Renderer() = default;
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;
  // Frees its GL objects (a compare pane closed).
  ~Renderer();
  // Compiles the shaders; false (with error()) when WebGL2 cannot run them.
  bool init();
  const std::string& error() const { return error_; }

  // Uploads the weights of a network (batch norm folded). Marks the tile image dirty.
  void set_network(const Network& net);
  // With background compiles on, a new architecture's generated shader is compiled, once the
  // per-pixel pass first needs it, while frames go on (KHR_parallel_shader_compile, where the
  // browser has it): until it is linked, the general loop shader draws. Off (the default;
  // exports): set_network() compiles it at once.
  void set_background_compile(bool on) { background_compile_ = on; }
  // True (once) when a background compile has finished: call set_network() again to use it.
  bool background_compile_finished();
  // The shader drawing the tiles: "unrolled", "loop", or "loop, compiling" while the generated
  // one compiles.
  const char* tile_shader() const;
  // Marks the end of a frame's drawing: background compiles ask the browser anything (which waits
  // for every command before) only once it has drawn that frame.
  void end_frame();
  // Draws the tiles of the current network over `window` into a width x height target.
  // pixel_ratio scales line widths from CSS pixels to device pixels. resolution in (0, 1] renders
  // the tiles at a fraction of the canvas resolution (cheaper while training) and scales them up.
  // budget_scale > 0: one frame's pass is bounded by budget_scale * kPixelMacBudget multiply-adds
  // over the network's cost (a large network in a software renderer could take seconds, or
  // minutes, for a full-resolution pass). A picture that changes every frame (resolution < 1) is
  // then drawn coarser; a still one shows a coarse picture at once and is refined a band of rows
  // per frame (refining() says so). 0: one full pass, however long (exports).
  // Returns true when it evaluated the network (not only copied the cached picture).
  bool draw(const Window& window, int width, int height, float pixel_ratio, const TileStyle& style,
            float resolution = 1.0f, double budget_scale = 0);
  // True while a progressive draw has rows left to refine; how much of the picture is refined.
  bool refining() const { return refine_rows_ < cache_.height; }
  double refined() const {
    return refining() ? static_cast<double>(refine_rows_) / std::max(1, cache_.height) : 1.0;
  }
  // Pixels one frame's pass may shade for the current network at budget_scale 1.
  double pixel_budget() const;

  // Exact tiles from a full-depth tessellation: fills (carrying the outputs for the colour modes)
  // and, when style.edge_width > 0, edges.
  void set_tiles(const Tessellation& tess, const TileStyle& style);
  // Draws the tiles set by set_tiles over the whole canvas in the style's colour mode.
  void draw_exact(const Window& window, int width, int height, const TileStyle& style);

  // Data points: (x, y, class or target, 1 for a test point) per point.
  void set_points(const std::vector<float>& points, bool regression);
  // Draws the points over the current framebuffer; radius in CSS pixels.
  int point_count() const { return point_count_; }
  void draw_points(const Window& window, int width, int height, float pixel_ratio, float radius);

  // Where draw(), draw_exact(), draw_points() and draw_lines() draw: the canvas (0, the default)
  // or an offscreen framebuffer (image export).
  void set_output(GLuint framebuffer) { output_ = framebuffer; }
  // Where on the output the picture goes: its bottom-left corner in device pixels (0, 0 but for
  // compare mode's panes). Drawing on the output is scissored to the picture.
  void set_output_origin(int x, int y) { origin_x_ = x; origin_y_ = y; }
  // Thick straight segments (x0, y0, x1, y1 per segment, input coordinates) as quads width_px
  // pixels wide, blended over the current image. Image export uses them where the canvas relies
  // on 1-pixel GL lines or on ImGui (renderer_lines.cpp).
  void draw_lines(const Window& window, int width, int height, const std::vector<float>& segments,
                  const Rgb& colour, float alpha, float width_px);

  // Renders code hashes (output modes 1 and 2 of tiles.frag) into an offscreen target and reads
  // them back, row-major with the top row first, like pixel_code_hashes(). For tests.
  std::vector<CodeHash> read_code_hashes(const Window& window, int width, int height,
                                         int code_layers);

private:
  struct Target {
    GLuint framebuffer = 0, texture = 0;
    int width = 0, height = 0;
  };
  void ensure_target(Target& t, int width, int height);
  // Evaluates the network for every pixel of a width x height target, or only for its rows
  // [first_row, first_row + rows) when rows > 0 (a band: the viewport, not a scissor, bounds the
  // fragments, which a software renderer shades only there).
  void render_tiles(const Window& window, int width, int height, float pixel_ratio,
                    const TileStyle& style, int output_mode, int first_row = 0, int rows = 0);

  // Two ways to evaluate the network per pixel: a general loop over a weights texture, and code
  // generated for the current architecture (see shader_gen.h), used whenever it fits.
  GLuint loop_program_ = 0, unrolled_program_ = 0, tiles_program_ = 0;
  std::string unrolled_signature_, unrolled_source_;
  // A generated shader compiling in the background, for the architecture pending_signature_; and
  // an architecture whose generated shader failed (the loop shader draws it).
  bool background_compile_ = false;
  GLuint pending_program_ = 0;
  GLsync pending_fence_ = nullptr; // after its compile (or its warm-up draw)
  bool pending_warming_ = false;    // compiled and linked; its first draw is being made
  double pending_ready_at_ = 0;     // without KHR_parallel_shader_compile: when to ask (ms)
  int pending_weights_ = 0;         // its size
  void start_pending_compile();
  GLsizeiptr pending_block_bytes_ = 0; // its weights block
  GLuint warmup_block_ = 0;
  GLsync frame_fence_ = nullptr; // end_frame()'s
  bool drawn_up_to_frame();
  Target warmup_;
  std::string pending_signature_, pending_source_, failed_signature_;
  // Moves the pending program on: compiled -> drawn once -> the unrolled one; true when it is no
  // longer pending.
  bool adopt_pending_program();
  // The same with every colour mode compiled in (linked on first use): the code-hash programs
  // above leave the outputs out, so the default view pays nothing for the colour modes.
  GLuint loop_colour_program_ = 0, unrolled_colour_program_ = 0;
  GLuint colour_program();
  GLuint weights_block_ = 0;
  GLuint blit_program_ = 0, points_program_ = 0, vao_ = 0, weights_ = 0;
  GLuint points_vao_ = 0, points_buffer_ = 0;
  GLuint polygons_program_ = 0, polygons_vao_ = 0, polygons_buffer_ = 0;
  GLuint flat_polygons_program_ = 0; // code-hash fills and edges: colour only
  int polygon_fill_vertices_ = 0, polygon_edge_vertices_ = 0;
  GLuint lines_vao_ = 0, lines_buffer_ = 0;
  GLuint output_ = 0;
  int origin_x_ = 0, origin_y_ = 0;
  // Binds the output with the picture's viewport and scissor (width x height from the origin).
  void bind_output(int width, int height) const;
  int point_count_ = 0;
  bool points_regression_ = false;
  float cached_resolution_ = 0;
  Target cache_, readback_;
  Target coarse_;          // the whole view within one frame's budget, under a refining cache_
  int refine_rows_ = 1 << 30; // rows of cache_ drawn so far (from the bottom) while refining
  double macs_ = 1;        // multiply-adds of one evaluation of the network (set_network)
  std::string error_;
  // What the cached image shows, to redraw only on change.
  bool dirty_ = true;
  Window cached_window_{};
  TileStyle cached_style_{};
  float cached_ratio_ = 0;
  // Network layout for the uniforms.
  int layers_ = 0, outputs_ = 1;
  std::vector<int> widths_, acts_;
  std::vector<float> alphas_;
};

} // namespace splinescope
