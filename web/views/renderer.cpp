// renderer.cpp - shader programs, the weights texture, and the cached tile image.
#include "renderer.h"

#include "colouring.h"
#include "shader_gen.h"
#include "shaders_embedded.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cstring>

namespace splinescope {

namespace {
constexpr int kWeightColumns = kMaxWidth + 1; // W row in 0..fan_in-1, bias in column kMaxWidth

GLuint compile(GLenum type, const std::string& source, std::string* error) {
  GLuint shader = glCreateShader(type);
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    *error = std::string("shader compilation failed: ") + log;
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

} // namespace

const char* const kShaderPrelude = "#version 300 es\n"
                                   "precision highp float;\n"
                                   "precision highp int;\n";

GLuint link_program(const std::string& vertex, const std::string& fragment, std::string* error) {
  GLuint vs = compile(GL_VERTEX_SHADER, vertex, error);
  if (!vs) return 0;
  GLuint fs = compile(GL_FRAGMENT_SHADER, fragment, error);
  if (!fs) return 0;
  GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetProgramInfoLog(program, sizeof log, nullptr, log);
    *error = std::string("shader link failed: ") + log;
    glDeleteProgram(program);
    return 0;
  }
  return program;
}

namespace {
GLuint link(const std::string& vertex, const std::string& fragment, std::string* error) {
  return link_program(vertex, fragment, error);
}

#ifndef GL_COMPLETION_STATUS_KHR
#define GL_COMPLETION_STATUS_KHR 0x91B1
#endif

// Without KHR_parallel_shader_compile, asking for a program's status waits for its link, which
// the browser may still be doing after every command before it has run (ANGLE links in the
// background). So the page asks only after a wait in proportion to the generated shader's size:
// SwiftShader links about one weight a millisecond (the 2-16^3-1 shader in 0.4 s, 2-24^3-1 in
// 1.3 s). A GPU's driver is far faster, and a wait that is too long only leaves the loop shader
// drawing a little longer.
constexpr double kBlindLinkMsPerWeight = 0.5, kBlindLinkMinMs = 100, kBlindLinkMaxMs = 8000;

// KHR_parallel_shader_compile: a program's status can be polled without waiting for the compile.
bool parallel_compile() {
  static const int supported = emscripten_webgl_enable_extension(
      emscripten_webgl_get_current_context(), "KHR_parallel_shader_compile");
  return supported != 0;
}

// Compiles and links without asking for the result (which would wait for it).
GLuint start_program(const std::string& vertex, const std::string& fragment) {
  auto shader = [](GLenum type, const std::string& source) {
    GLuint s = glCreateShader(type);
    const char* text = source.c_str();
    glShaderSource(s, 1, &text, nullptr);
    glCompileShader(s);
    return s;
  };
  const GLuint vs = shader(GL_VERTEX_SHADER, vertex), fs = shader(GL_FRAGMENT_SHADER, fragment);
  const GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs); // freed with the program
  glDeleteShader(fs);
  return program;
}
const char* const kFragmentPrelude = kShaderPrelude;
} // namespace

namespace {
// The programs every renderer draws with, linked once for the page's GL context and shared by
// the panes' renderers (a second pane then costs no link, which a software renderer makes the
// page wait for): they hold no pane's state, as every draw sets the uniforms it reads.
struct SharedPrograms {
  GLuint loop = 0, blit = 0, points = 0, polygons = 0, flat_polygons = 0;
};
SharedPrograms& shared_programs() {
  static SharedPrograms programs;
  return programs;
}
} // namespace

bool Renderer::init() {
  SharedPrograms& shared = shared_programs();
  if (!shared.loop) {
    const std::string prelude = kFragmentPrelude;
    SharedPrograms p;
    p.loop = link(shaders::fullscreen_vert,
                  prelude + shaders::code_hash_glsl + shaders::colour_modes_glsl +
                      shaders::network_loop_glsl + shaders::tiles_frag,
                  &error_);
    if (p.loop) p.blit = link(shaders::fullscreen_vert, prelude + shaders::blit_frag, &error_);
    if (p.blit) p.points = link(shaders::points_vert, prelude + shaders::points_frag, &error_);
    if (p.points)
      p.polygons = link(shaders::polygons_vert,
                        prelude + shaders::colour_modes_glsl + shaders::polygons_frag, &error_);
    if (p.polygons)
      p.flat_polygons = link(shaders::flat_polygons_vert, prelude + shaders::flat_polygons_frag, &error_);
    if (!p.flat_polygons) return false;
    shared = p;
  }
  loop_program_ = shared.loop;
  tiles_program_ = loop_program_;
  glGenBuffers(1, &weights_block_);
  blit_program_ = shared.blit;
  points_program_ = shared.points;
  polygons_program_ = shared.polygons;
  flat_polygons_program_ = shared.flat_polygons;
  glGenVertexArrays(1, &polygons_vao_);
  glGenBuffers(1, &polygons_buffer_);
  glBindVertexArray(polygons_vao_);
  glBindBuffer(GL_ARRAY_BUFFER, polygons_buffer_);
  bind_tile_vertex_layout();
  glBindVertexArray(0);
  glGenVertexArrays(1, &points_vao_);
  glGenBuffers(1, &points_buffer_);
  glBindVertexArray(points_vao_);
  glBindBuffer(GL_ARRAY_BUFFER, points_buffer_);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
  glBindVertexArray(0);
  glGenVertexArrays(1, &vao_);
  glGenTextures(1, &weights_);
  glBindTexture(GL_TEXTURE_2D, weights_);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return true;
}

void Renderer::set_network(const Network& net_in) {
  const Network net = net_in.folded();
  dirty_ = true;
  outputs_ = net.outputs();
  macs_ = net.multiply_adds();
  if (can_unroll(net)) {
    const std::string signature = architecture_signature(net);
    if (signature != unrolled_signature_ && signature != failed_signature_ && background_compile_) {
      if (signature == pending_signature_) {
        adopt_pending_program();
      } else {
        // Compiled when the per-pixel pass first needs it (render_tiles): the exact polygons,
        // the default view, never do, and a compile keeps a software renderer busy for a while.
        if (pending_program_) glDeleteProgram(pending_program_);
        pending_program_ = 0;
        pending_source_ = std::string(shaders::code_hash_glsl) + shaders::colour_modes_glsl +
                          unrolled_network_glsl(net) + shaders::tiles_frag;
        pending_signature_ = signature;
        pending_block_bytes_ = static_cast<GLsizeiptr>(unrolled_weights(net).size() * sizeof(float));
        pending_weights_ = unrolled_weight_count(net);
        pending_warming_ = false;
      }
    } else if (signature != unrolled_signature_ && signature != failed_signature_) {
      if (unrolled_program_) glDeleteProgram(unrolled_program_);
      if (unrolled_colour_program_) glDeleteProgram(unrolled_colour_program_);
      unrolled_colour_program_ = 0;
      std::string error;
      unrolled_source_ = std::string(shaders::code_hash_glsl) + shaders::colour_modes_glsl +
                         unrolled_network_glsl(net) + shaders::tiles_frag;
      unrolled_program_ =
          link(shaders::fullscreen_vert, std::string(kFragmentPrelude) + unrolled_source_, &error);
      unrolled_signature_ = unrolled_program_ ? signature : "";
      if (!unrolled_program_) failed_signature_ = signature;
      if (unrolled_program_)
        glUniformBlockBinding(unrolled_program_,
                              glGetUniformBlockIndex(unrolled_program_, "Weights"), 0);
    }
    if (unrolled_program_ && signature == unrolled_signature_) {
      const std::vector<float> block = unrolled_weights(net);
      glBindBuffer(GL_UNIFORM_BUFFER, weights_block_);
      glBufferData(GL_UNIFORM_BUFFER, static_cast<GLsizeiptr>(block.size() * sizeof(float)),
                   block.data(), GL_DYNAMIC_DRAW);
      glBindBuffer(GL_UNIFORM_BUFFER, 0);
      tiles_program_ = unrolled_program_;
      layers_ = static_cast<int>(net.layers.size());
      return;
    }
  }
  tiles_program_ = loop_program_;
  layers_ = static_cast<int>(net.layers.size());
  widths_.clear();
  acts_.clear();
  alphas_.clear();
  int rows = 0;
  for (const Layer& layer : net.layers) rows += layer.width();
  std::vector<float> texels(static_cast<std::size_t>(rows) * kWeightColumns, 0.0f);
  int row = 0;
  for (const Layer& layer : net.layers) {
    widths_.push_back(layer.width());
    acts_.push_back(static_cast<int>(layer.activation));
    alphas_.push_back(static_cast<float>(layer.alpha));
    for (int k = 0; k < layer.width(); ++k, ++row) {
      float* dst = &texels[static_cast<std::size_t>(row) * kWeightColumns];
      for (int j = 0; j < layer.fan_in(); ++j) dst[j] = static_cast<float>(layer.W(k, j));
      dst[kMaxWidth] = static_cast<float>(layer.b(k));
    }
  }
  glBindTexture(GL_TEXTURE_2D, weights_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, kWeightColumns, rows, 0, GL_RED, GL_FLOAT,
               texels.data());
}

bool Renderer::adopt_pending_program() {
  if (!pending_program_) return true;
  // A question to the browser waits for every command before it: with slow draws (a software
  // renderer) queued, asked now it would hold up the page for them.
  if (!drawn_up_to_frame()) return false;
  GLint done = 0;
  if (pending_fence_) {
    glGetSynciv(pending_fence_, GL_SYNC_STATUS, 1, nullptr, &done);
    done = done == GL_SIGNALED && (pending_warming_ || emscripten_get_now() >= pending_ready_at_);
  } else
    glGetProgramiv(pending_program_, GL_COMPLETION_STATUS_KHR, &done);
  if (!done) return false;
  if (pending_fence_) glDeleteSync(pending_fence_);
  pending_fence_ = nullptr;
  GLint ok = 0;
  glGetProgramiv(pending_program_, GL_LINK_STATUS, &ok);
  if (ok && !pending_warming_) {
    // One pixel drawn with it, in the state the tiles are drawn in: a renderer that builds its
    // pipeline at the first draw (ANGLE on Vulkan; SwiftShader compiles the shader to machine
    // code there) does it now, behind a fence, and not in a frame that would then wait for it.
    glUniformBlockBinding(pending_program_, glGetUniformBlockIndex(pending_program_, "Weights"), 0);
    if (!warmup_block_) glGenBuffers(1, &warmup_block_);
    glBindBuffer(GL_UNIFORM_BUFFER, warmup_block_);
    glBufferData(GL_UNIFORM_BUFFER, pending_block_bytes_, nullptr, GL_DYNAMIC_DRAW);
    glBindBuffer(GL_UNIFORM_BUFFER, 0);
    ensure_target(warmup_, 1, 1);
    glBindFramebuffer(GL_FRAMEBUFFER, warmup_.framebuffer);
    glViewport(0, 0, 1, 1);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glUseProgram(pending_program_);
    glBindBufferBase(GL_UNIFORM_BUFFER, 0, warmup_block_);
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glBindFramebuffer(GL_FRAMEBUFFER, output_);
    pending_warming_ = true;
    pending_fence_ = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    glFlush();
    return false;
  }
  pending_warming_ = false;
  if (ok) {
    if (unrolled_program_) glDeleteProgram(unrolled_program_);
    if (unrolled_colour_program_) glDeleteProgram(unrolled_colour_program_);
    unrolled_colour_program_ = 0;
    unrolled_program_ = pending_program_;
    unrolled_signature_ = pending_signature_;
    unrolled_source_ = pending_source_;
  } else {
    glDeleteProgram(pending_program_);
    failed_signature_ = pending_signature_; // the loop shader draws this architecture
  }
  pending_program_ = 0;
  pending_signature_.clear();
  return true;
}

void Renderer::end_frame() {
  if (!pending_program_) return;
  if (frame_fence_) glDeleteSync(frame_fence_);
  frame_fence_ = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
}

bool Renderer::drawn_up_to_frame() {
  if (!frame_fence_) return true;
  GLint status = 0;
  glGetSynciv(frame_fence_, GL_SYNC_STATUS, 1, nullptr, &status);
  return status == GL_SIGNALED;
}

void Renderer::start_pending_compile() {
  pending_program_ = start_program(shaders::fullscreen_vert, std::string(kFragmentPrelude) + pending_source_);
  pending_ready_at_ = emscripten_get_now() + std::clamp(kBlindLinkMsPerWeight * pending_weights_,
                                                        kBlindLinkMinMs, kBlindLinkMaxMs);
  // Without KHR_parallel_shader_compile, asking for the program's status would wait for the
  // compile; a fence after it says, without waiting, when the browser's GPU process has got past
  // it.
  if (pending_fence_) glDeleteSync(pending_fence_);
  pending_fence_ = parallel_compile() ? nullptr : glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
  glFlush();
}

bool Renderer::background_compile_finished() {
  return pending_program_ && adopt_pending_program();
}

const char* Renderer::tile_shader() const {
  if (tiles_program_ == unrolled_program_ && unrolled_program_) return "unrolled";
  return pending_program_ ? "loop, compiling" : "loop";
}

void Renderer::ensure_target(Target& t, int width, int height) {
  if (t.framebuffer && t.width == width && t.height == height) return;
  if (!t.framebuffer) {
    glGenFramebuffers(1, &t.framebuffer);
    glGenTextures(1, &t.texture);
  }
  glBindTexture(GL_TEXTURE_2D, t.texture);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  // Linear: a tile image rendered below the canvas resolution is scaled up smoothly.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindFramebuffer(GL_FRAMEBUFFER, t.framebuffer);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, t.texture, 0);
  t.width = width;
  t.height = height;
}

GLuint Renderer::colour_program() {
  const bool unrolled = tiles_program_ == unrolled_program_;
  GLuint& program = unrolled ? unrolled_colour_program_ : loop_colour_program_;
  if (!program) {
    const std::string source =
        unrolled ? unrolled_source_
                 : std::string(shaders::code_hash_glsl) + shaders::colour_modes_glsl +
                       shaders::network_loop_glsl + shaders::tiles_frag;
    std::string error;
    program = link(shaders::fullscreen_vert,
                   std::string(kFragmentPrelude) + "#define COLOUR_MODES 1\n" + source, &error);
    if (program && unrolled)
      glUniformBlockBinding(program, glGetUniformBlockIndex(program, "Weights"), 0);
  }
  return program ? program : tiles_program_; // without it: code colours, never a blank view
}

void Renderer::render_tiles(const Window& window, int width, int height, float pixel_ratio,
                            const TileStyle& style, int output_mode, int first_row, int rows) {
  if (!pending_program_ && !pending_signature_.empty()) start_pending_compile();
  if (rows > 0)
    glViewport(0, first_row, width, rows); // u_viewport below stays the whole target
  else
    glViewport(0, 0, width, height);
  const GLuint program = output_mode == 0 && style.color_mode != ColorMode::code_hash
                             ? colour_program()
                             : tiles_program_;
  glUseProgram(program);
  if (tiles_program_ == unrolled_program_) {
    glBindBufferBase(GL_UNIFORM_BUFFER, 0, weights_block_);
  } else {
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, weights_);
    glUniform1i(glGetUniformLocation(program, "u_weights"), 0);
    glUniform1i(glGetUniformLocation(program, "u_layers"), layers_);
    glUniform1iv(glGetUniformLocation(program, "u_widths"), layers_, widths_.data());
    glUniform1iv(glGetUniformLocation(program, "u_acts"), layers_, acts_.data());
    glUniform1fv(glGetUniformLocation(program, "u_alpha"), layers_, alphas_.data());
  }
  const int hidden = layers_ - 1;
  const int code_layers = style.code_layers < 0 || style.code_layers > hidden ? hidden
                                                                              : style.code_layers;
  glUniform1i(glGetUniformLocation(program, "u_code_layers"), code_layers);
  glUniform1i(glGetUniformLocation(program, "u_refined"), code_layers < hidden ? 1 : 0);
  glUniform4f(glGetUniformLocation(program, "u_window"), static_cast<float>(window.x0),
              static_cast<float>(window.x1), static_cast<float>(window.y0),
              static_cast<float>(window.y1));
  glUniform2f(glGetUniformLocation(program, "u_viewport"), static_cast<float>(width),
              static_cast<float>(height));
  glUniform1i(glGetUniformLocation(program, "u_output_mode"), output_mode);
  set_colour_uniforms(program, style, outputs_);
  glUniform1f(glGetUniformLocation(program, "u_edge_width"),
              style.edge_width * pixel_ratio);
  glUniform1i(glGetUniformLocation(program, "u_edge_by_layer"),
              style.edge_colour == EdgeColour::layer ? 1 : 0);
  glUniform1f(glGetUniformLocation(program, "u_boundary_width"),
              style.boundary_width * pixel_ratio);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
}

double Renderer::pixel_budget() const {
  const double budget = tiles_program_ == unrolled_program_ ? kPixelMacBudget : kLoopPixelMacBudget;
  return budget / std::max(1.0, macs_);
}

bool Renderer::draw(const Window& window, int width, int height, float pixel_ratio,
                    const TileStyle& style, float resolution, double budget_scale) {
  if (width <= 0 || height <= 0 || layers_ == 0) return false;
  resolution = resolution > 0.01f && resolution < 1.0f ? resolution : 1.0f;
  const bool still = resolution >= 1.0f;
  const bool progressive = budget_scale > 0;
  const double budget = std::max(256.0, budget_scale * pixel_budget());
  if (progressive && !still && width * resolution * height * resolution > budget)
    resolution = static_cast<float>(std::sqrt(budget / (static_cast<double>(width) * height)));
  const int tiles_w = std::max(1, static_cast<int>(width * resolution));
  const int tiles_h = std::max(1, static_cast<int>(height * resolution));
  const bool same_view = std::memcmp(&window, &cached_window_, sizeof window) == 0 &&
                         style.code_layers == cached_style_.code_layers &&
                         style.edge_width == cached_style_.edge_width &&
                         style.edge_colour == cached_style_.edge_colour &&
                         style.boundary_width == cached_style_.boundary_width &&
                         style.color_mode == cached_style_.color_mode &&
                         style.output_index == cached_style_.output_index &&
                         style.output_kind == cached_style_.output_kind &&
                         style.value_scale == cached_style_.value_scale &&
                         style.gradient_scale == cached_style_.gradient_scale &&
                         pixel_ratio == cached_ratio_ && resolution == cached_resolution_ &&
                         cache_.width == tiles_w && cache_.height == tiles_h;
  const bool refine = progressive && still && static_cast<double>(tiles_w) * tiles_h > budget;
  bool evaluated = false;
  if (dirty_ || !same_view) {
    ensure_target(cache_, tiles_w, tiles_h);
    if (refine) {
      // A coarse picture of the whole view now; the full resolution band by band below.
      const double scale = std::sqrt(budget / (static_cast<double>(tiles_w) * tiles_h));
      const int coarse_w = std::max(1, static_cast<int>(tiles_w * scale));
      const int coarse_h = std::max(1, static_cast<int>(tiles_h * scale));
      ensure_target(coarse_, coarse_w, coarse_h);
      glBindFramebuffer(GL_FRAMEBUFFER, coarse_.framebuffer);
      render_tiles(window, coarse_w, coarse_h, pixel_ratio * static_cast<float>(scale), style, 0);
      refine_rows_ = 0;
    } else {
      glBindFramebuffer(GL_FRAMEBUFFER, cache_.framebuffer);
      render_tiles(window, tiles_w, tiles_h, pixel_ratio * resolution, style, 0);
      refine_rows_ = 1 << 30;
    }
    cached_resolution_ = resolution;
    cached_window_ = window;
    cached_style_ = style;
    cached_ratio_ = pixel_ratio;
    dirty_ = false;
    evaluated = true;
  } else if (refine && refining()) {
    const int rows = std::max(1, static_cast<int>(budget / tiles_w));
    glBindFramebuffer(GL_FRAMEBUFFER, cache_.framebuffer);
    render_tiles(window, tiles_w, tiles_h, pixel_ratio * resolution, style, 0, refine_rows_,
                 std::min(rows, tiles_h - refine_rows_));
    refine_rows_ += rows;
    evaluated = true;
  }
  bind_output(width, height);
  glUseProgram(blit_program_);
  glActiveTexture(GL_TEXTURE0);
  glUniform1i(glGetUniformLocation(blit_program_, "u_image"), 0);
  glBindVertexArray(vao_);
  if (refining()) {
    // The coarse picture, and over it the rows refined so far.
    glBindTexture(GL_TEXTURE_2D, coarse_.texture);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    if (refine_rows_ > 0) {
      glScissor(origin_x_, origin_y_, width,
                static_cast<int>(static_cast<double>(refine_rows_) / tiles_h * height));
      glBindTexture(GL_TEXTURE_2D, cache_.texture);
      glDrawArrays(GL_TRIANGLES, 0, 3);
    }
    glDisable(GL_SCISSOR_TEST);
    return evaluated;
  }
  glBindTexture(GL_TEXTURE_2D, cache_.texture);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glDisable(GL_SCISSOR_TEST);
  return evaluated;
}

void Renderer::set_tiles(const Tessellation& tess, const TileStyle& style) {
  const TileMesh mesh =
      tile_mesh(tess, style.output_index, -1, style.edge_width > 0, style.edge_colour);
  polygon_fill_vertices_ = mesh.fill_vertices;
  polygon_edge_vertices_ = mesh.edge_vertices;
  glBindBuffer(GL_ARRAY_BUFFER, polygons_buffer_);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(mesh.data.size() * sizeof(float)),
               mesh.data.data(), GL_DYNAMIC_DRAW);
}

Renderer::~Renderer() {
  // Its own programs (the shared ones stay for the other renderers).
  for (GLuint program : {unrolled_program_, pending_program_, loop_colour_program_, unrolled_colour_program_})
    if (program) glDeleteProgram(program);
  for (GLuint buffer : {warmup_block_, weights_block_, points_buffer_, polygons_buffer_, lines_buffer_})
    if (buffer) glDeleteBuffers(1, &buffer);
  for (GLuint array : {vao_, points_vao_, polygons_vao_, lines_vao_})
    if (array) glDeleteVertexArrays(1, &array);
  if (weights_) glDeleteTextures(1, &weights_);
  for (Target* t : {&warmup_, &cache_, &readback_, &coarse_}) {
    if (t->framebuffer) glDeleteFramebuffers(1, &t->framebuffer);
    if (t->texture) glDeleteTextures(1, &t->texture);
  }
  for (GLsync fence : {pending_fence_, frame_fence_})
    if (fence) glDeleteSync(fence);
}

void Renderer::bind_output(int width, int height) const {
  glBindFramebuffer(GL_FRAMEBUFFER, output_);
  glViewport(origin_x_, origin_y_, width, height);
  glEnable(GL_SCISSOR_TEST);
  glScissor(origin_x_, origin_y_, width, height);
}

void Renderer::draw_exact(const Window& window, int width, int height, const TileStyle& style) {
  bind_output(width, height);
  glClearColor(background_rgb(style)[0], background_rgb(style)[1], background_rgb(style)[2],
               1.0f); // outside the tessellated region
  glClear(GL_COLOR_BUFFER_BIT);
  // The code-hash view needs the vertex colour only: a program with one varying.
  const bool flat = style.color_mode == ColorMode::code_hash;
  const GLuint program = flat ? flat_polygons_program_ : polygons_program_;
  glUseProgram(program);
  glUniform4f(glGetUniformLocation(program, "u_window"), static_cast<float>(window.x0),
              static_cast<float>(window.x1), static_cast<float>(window.y0),
              static_cast<float>(window.y1));
  if (!flat) {
    set_colour_uniforms(program, style, outputs_);
    glUniform1i(glGetUniformLocation(program, "u_fill"), 1);
  } else {
    glUniform1f(glGetUniformLocation(program, "u_wash"), style.wash);
  }
  glBindVertexArray(polygons_vao_);
  glDrawArrays(GL_TRIANGLES, 0, polygon_fill_vertices_);
  if (polygon_edge_vertices_ > 0) {
    if (!flat) glUniform1i(glGetUniformLocation(program, "u_fill"), 0);
    else glUniform1f(glGetUniformLocation(program, "u_wash"), 0.0f); // edges keep their colour
    glEnable(GL_BLEND);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    glDrawArrays(GL_LINES, polygon_fill_vertices_, polygon_edge_vertices_);
    glDisable(GL_BLEND);
  }
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

void Renderer::set_points(const std::vector<float>& points, bool regression) {
  // Each point's attributes repeated for the 6 vertices of its quad: one plain draw rather than an
  // instanced one, which a software renderer sets up instance by instance.
  point_count_ = static_cast<int>(points.size() / 4);
  std::vector<float> vertices(points.size() * 6);
  for (int p = 0; p < point_count_; ++p)
    for (int v = 0; v < 6; ++v)
      std::copy(points.begin() + 4 * p, points.begin() + 4 * p + 4, vertices.begin() + 24 * p + 4 * v);
  glBindBuffer(GL_ARRAY_BUFFER, points_buffer_);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(float)),
               vertices.data(), GL_DYNAMIC_DRAW);
  points_regression_ = regression;
}

void Renderer::draw_points(const Window& window, int width, int height, float pixel_ratio,
                           float radius) {
  if (point_count_ == 0 || width <= 0 || height <= 0) return;
  bind_output(width, height);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glUseProgram(points_program_);
  glUniform4f(glGetUniformLocation(points_program_, "u_window"), static_cast<float>(window.x0),
              static_cast<float>(window.x1), static_cast<float>(window.y0),
              static_cast<float>(window.y1));
  glUniform2f(glGetUniformLocation(points_program_, "u_viewport"), static_cast<float>(width),
              static_cast<float>(height));
  glUniform1f(glGetUniformLocation(points_program_, "u_radius"), radius * pixel_ratio);
  glUniform1i(glGetUniformLocation(points_program_, "u_regression"), points_regression_ ? 1 : 0);
  glBindVertexArray(points_vao_);
  glDrawArrays(GL_TRIANGLES, 0, 6 * point_count_);
  glBindVertexArray(0);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
}

std::vector<CodeHash> Renderer::read_code_hashes(const Window& window, int width, int height,
                                                 int code_layers) {
  std::vector<CodeHash> out(static_cast<std::size_t>(width) * height);
  if (width <= 0 || height <= 0 || layers_ == 0) return out;
  ensure_target(readback_, width, height);
  glBindFramebuffer(GL_FRAMEBUFFER, readback_.framebuffer);
  TileStyle style;
  style.code_layers = code_layers;
  std::vector<unsigned char> bytes(out.size() * 4);
  for (int mode = 1; mode <= 2; ++mode) {
    render_tiles(window, width, height, 1.0f, style, mode);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, bytes.data());
    for (int j = 0; j < height; ++j) {
      for (int i = 0; i < width; ++i) {
        // GL rows start at the bottom; ours at the top.
        const unsigned char* b = &bytes[(static_cast<std::size_t>(height - 1 - j) * width + i) * 4];
        const std::uint32_t word = b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t{b[3]} << 24);
        CodeHash& h = out[static_cast<std::size_t>(j) * width + i];
        (mode == 1 ? h.lo : h.hi) = word;
      }
    }
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  dirty_ = true; // the read-back may have changed GL state the cache relies on
  return out;
}

} // namespace splinescope
