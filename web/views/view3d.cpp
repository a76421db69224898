// view3d.cpp - the 3-D view (see view3d.h): meshes, camera, an antialiased offscreen rendering of
// the scene, redrawn only when something it shows changed, and the orbit input.
//
// Scene coordinates: the view's window is centred at the origin and scaled so that its longer
// side is 1; z = f_k(x) * height.x + height.y maps the range of the output over the surface's
// vertices (exact: an affine spline takes its extremes over a polygon at vertices) to
// [0, kSurfaceHeight], so the whole surface fits whatever the output's scale. The floor lies
// kFloorGap below.
#include "view3d.h"

#include "colouring.h"
#include "shaders_embedded.h"

#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace splinescope {

namespace {
constexpr float kSurfaceHeight = 0.42f; // scene height of the output's robust range
constexpr float kFloorGap = 0.16f;      // floor below the surface's lowest point
constexpr float kFieldOfView = 0.7f;    // radians, vertical
constexpr float kPanelInset = 175.0f;   // CSS pixels: half the settings panel on the left
constexpr int kGridSize = 128;          // vertices per side of the fallback grid surface

// What the cached image shows; the scene is redrawn when any of it changes.
struct SceneKey {
  long mesh_generation;
  Window view;
  float yaw, pitch, distance;
  int width, height;
  float pixel_ratio;
  int color_mode, output_index, output_kind;
  float value_scale, gradient_scale;
  float height_scale, height_offset, floor_z;
  float boundary_width;
  float wash;             // the theme (pane.style.wash, .light)
  long points_generation; // the points shown (pane.points_generation)
};

struct Scene {
  bool ready = false;
  GLuint surface_program = 0, lines_program = 0, blit_program = 0;
  GLuint mesh_vao = 0, mesh_buffer = 0;
  int fill_vertices = 0, edge_vertices = 0;
  bool exact = true; // the mesh is the exact tessellation (else the grid)
  int grid = 0;      // vertices per side of the grid mesh
  std::string status;
  double f_min = 0, f_max = 0; // range of the output over the mesh
  long mesh_generation = 0;
  int mesh_code_layers = -2;
  GLuint lines_vao = 0, lines_buffer = 0;
  int surface_line_vertices = 0, floor_line_vertices = 0, frame_line_vertices = 0;
  // The data points on the surface, as small crosses: vertices [first, first + count) of the
  // lines buffer per class (regression: all in class 0).
  int point_first[kClassColourCount] = {}, point_count[kClassColourCount] = {};
  // Targets: a multisampled colour + depth framebuffer, resolved into a texture.
  GLuint msaa_framebuffer = 0, msaa_colour = 0, msaa_depth = 0;
  GLuint resolve_framebuffer = 0, resolve_texture = 0;
  int width = 0, height = 0;
  // Height mapping, eased while training so the surface does not jump.
  double lo = -1, hi = 1;
  bool have_range = false;
  SceneKey key{};
  bool key_valid = false;
  std::string error;
};
Scene scene;

void init_scene() {
  if (scene.ready || !scene.error.empty()) return;
  std::string error;
  scene.surface_program = link_program(
      shaders::surface_vert,
      std::string(kShaderPrelude) + shaders::colour_modes_glsl + shaders::surface_frag, &error);
  scene.lines_program =
      scene.surface_program
          ? link_program(shaders::lines3d_vert, std::string(kShaderPrelude) + shaders::lines3d_frag,
                         &error)
          : 0;
  scene.blit_program = scene.lines_program
                           ? link_program(shaders::fullscreen_vert,
                                          std::string(kShaderPrelude) + shaders::blit_frag, &error)
                           : 0;
  if (!scene.blit_program) {
    scene.error = error; // view_3d_status() says it
    return;
  }
  glGenVertexArrays(1, &scene.mesh_vao);
  glGenBuffers(1, &scene.mesh_buffer);
  glBindVertexArray(scene.mesh_vao);
  glBindBuffer(GL_ARRAY_BUFFER, scene.mesh_buffer);
  bind_tile_vertex_layout();
  glGenVertexArrays(1, &scene.lines_vao);
  glGenBuffers(1, &scene.lines_buffer);
  glBindVertexArray(scene.lines_vao);
  glBindBuffer(GL_ARRAY_BUFFER, scene.lines_buffer);
  const GLsizei stride = 7 * sizeof(float); // position (3), other end (3), side (1)
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, nullptr);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<const void*>(3 * sizeof(float)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<const void*>(6 * sizeof(float)));
  glBindVertexArray(0);
  scene.ready = true;
}

void ensure_targets(int width, int height) {
  if (scene.msaa_framebuffer && scene.width == width && scene.height == height) return;
  if (!scene.msaa_framebuffer) {
    glGenFramebuffers(1, &scene.msaa_framebuffer);
    glGenRenderbuffers(1, &scene.msaa_colour);
    glGenRenderbuffers(1, &scene.msaa_depth);
    glGenFramebuffers(1, &scene.resolve_framebuffer);
    glGenTextures(1, &scene.resolve_texture);
  }
  GLint max_samples = 0;
  glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
  const GLsizei samples = std::min(4, std::max(0, max_samples));
  glBindRenderbuffer(GL_RENDERBUFFER, scene.msaa_colour);
  glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, width, height);
  glBindRenderbuffer(GL_RENDERBUFFER, scene.msaa_depth);
  glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_DEPTH_COMPONENT24, width, height);
  glBindFramebuffer(GL_FRAMEBUFFER, scene.msaa_framebuffer);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                            scene.msaa_colour);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, scene.msaa_depth);
  glBindTexture(GL_TEXTURE_2D, scene.resolve_texture);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindFramebuffer(GL_FRAMEBUFFER, scene.resolve_framebuffer);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, scene.resolve_texture,
                         0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  scene.width = width;
  scene.height = height;
  scene.key_valid = false;
}

// The surface: the exact tiles when the tessellation of the view is within its budget, otherwise
// a grid evaluated on the CPU (smaller while training).
void rebuild_mesh(Pane& pane, bool playing) {
  const int code_layers = pane.style.code_layers;
  const bool coarse = !scene.exact && !playing && scene.grid != kGridSize; // refine at rest
  if (pane.tess_uploaded && code_layers == scene.mesh_code_layers && !coarse) return;
  const Network& net = pane.shown_network();
  TileMesh mesh;
  scene.exact = pane.tess.ok() && pane.tess.full_depth();
  if (scene.exact) {
    mesh = tile_mesh(pane.tess, pane.style.output_index, code_layers, pane.style.edge_width > 0,
                     pane.style.edge_colour);
  } else {
    scene.grid = playing ? kGridSize / 2 : kGridSize;
    mesh = grid_mesh(net, pane.view, scene.grid, pane.style.output_index, code_layers);
  }
  scene.fill_vertices = mesh.fill_vertices;
  scene.edge_vertices = mesh.edge_vertices;
  scene.f_min = mesh.f_min;
  scene.f_max = mesh.f_max;
  glBindBuffer(GL_ARRAY_BUFFER, scene.mesh_buffer);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(mesh.data.size() * sizeof(float)),
               mesh.data.data(), GL_DYNAMIC_DRAW);
  pane.tess_uploaded = true;
  scene.mesh_code_layers = code_layers;
  ++scene.mesh_generation;
}

// Wide lines: the decision boundary on the surface and on the floor.
void rebuild_lines(const Pane& pane, float height_scale, float height_offset, float floor_z) {
  std::vector<float> data;
  const double cx = 0.5 * (pane.view.x0 + pane.view.x1), cy = 0.5 * (pane.view.y0 + pane.view.y1);
  const double inv = 1.0 / std::max(pane.view.width(), pane.view.height());
  const Network& net = pane.shown_network();
  const int k = pane.style.output_index;
  // A segment as a quad: (this end, other end, side) per vertex; see lines3d.vert.
  auto segment = [&](const Eigen::Vector3f& a, const Eigen::Vector3f& b) {
    auto vertex = [&](const Eigen::Vector3f& p, const Eigen::Vector3f& q, float side) {
      data.insert(data.end(), {p.x(), p.y(), p.z(), q.x(), q.y(), q.z(), side});
    };
    vertex(a, b, 1), vertex(a, b, -1), vertex(b, a, -1);
    vertex(a, b, -1), vertex(b, a, 1), vertex(b, a, -1);
  };
  auto add_lines = [&](bool on_surface) {
    for (const Polyline& line : pane.boundary.polylines) {
      const int n = static_cast<int>(line.points.size());
      if (n < 2) continue;
      Eigen::MatrixXd P = Eigen::MatrixXd::Zero(net.input_dim, n); // (D, n)
      for (int i = 0; i < n; ++i) P.block<2, 1>(0, i) = line.points[i];
      Eigen::MatrixXd f; // (C, n)
      if (on_surface) f = forward(net, P);
      auto scene_point = [&](int i) {
        const Eigen::Vector2d& p = line.points[i % n];
        const double z = on_surface ? f(k, i % n) * height_scale + height_offset : floor_z;
        return Eigen::Vector3f(static_cast<float>((p.x() - cx) * inv),
                               static_cast<float>((p.y() - cy) * inv), static_cast<float>(z));
      };
      const int segments = line.closed ? n : n - 1;
      for (int i = 0; i < segments; ++i) segment(scene_point(i), scene_point(i + 1));
    }
  };
  add_lines(true);
  scene.surface_line_vertices = static_cast<int>(data.size() / 7);
  add_lines(false);
  scene.floor_line_vertices = static_cast<int>(data.size() / 7) - scene.surface_line_vertices;
  // A frame that ties the surface to the floor: the floor's outline and a post at every corner.
  const int before = static_cast<int>(data.size() / 7);
  const Window& v = pane.view;
  const double corners[4][2] = {{v.x0, v.y0}, {v.x1, v.y0}, {v.x1, v.y1}, {v.x0, v.y1}};
  Eigen::MatrixXd C = Eigen::MatrixXd::Zero(net.input_dim, 4); // (D, 4)
  for (int i = 0; i < 4; ++i) C.block<2, 1>(0, i) = Eigen::Vector2d(corners[i][0], corners[i][1]);
  const Eigen::MatrixXd f = forward(net, C); // (C, 4)
  for (int i = 0; i < 4; ++i) {
    auto at = [&](int c, float z) {
      return Eigen::Vector3f(static_cast<float>((corners[c][0] - cx) * inv),
                             static_cast<float>((corners[c][1] - cy) * inv), z);
    };
    const float top = static_cast<float>(f(k, i) * height_scale + height_offset);
    segment(at(i, floor_z), at((i + 1) % 4, floor_z));
    segment(at(i, floor_z), at(i, top));
  }
  scene.frame_line_vertices = static_cast<int>(data.size() / 7) - before;
  // The data points where they lie on the surface (the first 4,000 of train and test), a cross
  // each, grouped by class for one draw per colour.
  std::fill(std::begin(scene.point_count), std::end(scene.point_count), 0);
  if (pane.show_points && !pane.plane.on()) { // (image data: its images lie off the plane)
    const Split& split = pane.session->data();
    const bool regression = split.train.is_regression();
    std::vector<Eigen::Vector2d> xy;
    std::vector<int> cls;
    for (const Dataset* d : {&split.train, &split.test}) {
      if (d == &split.test && !pane.show_test) break;
      for (Eigen::Index j = 0; j < d->size() && xy.size() < 4000; ++j) {
        const Eigen::Vector2d p = d->X.col(j).head<2>();
        if (p.x() < v.x0 || p.x() > v.x1 || p.y() < v.y0 || p.y() > v.y1) continue;
        xy.push_back(p);
        cls.push_back(regression ? 0 : class_colour_index(d->labels(j)));
      }
    }
    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(net.input_dim, static_cast<Eigen::Index>(xy.size())); // (D, n)
    for (std::size_t i = 0; i < xy.size(); ++i) P.block<2, 1>(0, static_cast<Eigen::Index>(i)) = xy[i];
    const Eigen::MatrixXd fp = xy.empty() ? Eigen::MatrixXd() : forward(net, P); // (C, n)
    constexpr float arm = 0.008f; // half the cross, scene units
    for (int c = 0; c < kClassColourCount; ++c) {
      scene.point_first[c] = static_cast<int>(data.size() / 7);
      for (std::size_t i = 0; i < xy.size(); ++i) {
        if (cls[i] != c) continue;
        const Eigen::Vector3f q(static_cast<float>((xy[i].x() - cx) * inv),
                                static_cast<float>((xy[i].y() - cy) * inv),
                                static_cast<float>(fp(k, static_cast<Eigen::Index>(i)) * height_scale + height_offset));
        segment(q - Eigen::Vector3f(arm, 0, 0), q + Eigen::Vector3f(arm, 0, 0));
        segment(q - Eigen::Vector3f(0, arm, 0), q + Eigen::Vector3f(0, arm, 0));
      }
      scene.point_count[c] = static_cast<int>(data.size() / 7) - scene.point_first[c];
    }
  }
  glBindBuffer(GL_ARRAY_BUFFER, scene.lines_buffer);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(float)), data.data(),
               GL_DYNAMIC_DRAW);
}

Eigen::Matrix4f perspective(float fovy, float aspect, float near, float far) {
  const float f = 1.0f / std::tan(0.5f * fovy);
  Eigen::Matrix4f m = Eigen::Matrix4f::Zero();
  m(0, 0) = f / aspect;
  m(1, 1) = f;
  m(2, 2) = (far + near) / (near - far);
  m(2, 3) = 2.0f * far * near / (near - far);
  m(3, 2) = -1.0f;
  return m;
}

Eigen::Matrix4f look_at(const Eigen::Vector3f& eye, const Eigen::Vector3f& target) {
  const Eigen::Vector3f forward = (target - eye).normalized();
  const Eigen::Vector3f side = forward.cross(Eigen::Vector3f::UnitZ()).normalized();
  const Eigen::Vector3f up = side.cross(forward);
  Eigen::Matrix4f m = Eigen::Matrix4f::Identity();
  m.block<1, 3>(0, 0) = side.transpose();
  m.block<1, 3>(1, 0) = up.transpose();
  m.block<1, 3>(2, 0) = -forward.transpose();
  m(0, 3) = -side.dot(eye);
  m(1, 3) = -up.dot(eye);
  m(2, 3) = forward.dot(eye);
  return m;
}

void draw_scene(const Pane& pane, const SceneKey& key, const Eigen::Matrix4f& view_projection,
                const Eigen::Vector3f& eye) {
  const int w = key.width, h = key.height;
  glBindFramebuffer(GL_FRAMEBUFFER, scene.msaa_framebuffer);
  glViewport(0, 0, w, h);
  const float* background = background_rgb(pane.style); // as the 2-D view's
  glClearColor(background[0], background[1], background[2], 1.0f);
  glClearDepthf(1.0f);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  glEnable(GL_DEPTH_TEST);
  glDepthFunc(GL_LEQUAL);

  const GLuint p = scene.surface_program;
  glUseProgram(p);
  glUniformMatrix4fv(glGetUniformLocation(p, "u_view_projection"), 1, GL_FALSE,
                     view_projection.data());
  const double cx = 0.5 * (key.view.x0 + key.view.x1), cy = 0.5 * (key.view.y0 + key.view.y1);
  glUniform3f(glGetUniformLocation(p, "u_plane"), static_cast<float>(cx), static_cast<float>(cy),
              static_cast<float>(1.0 / std::max(key.view.width(), key.view.height())));
  glUniform2f(glGetUniformLocation(p, "u_height"), key.height_scale, key.height_offset);
  glUniform1f(glGetUniformLocation(p, "u_floor_z"), key.floor_z);
  glUniform3f(glGetUniformLocation(p, "u_eye"), eye.x(), eye.y(), eye.z());
  glUniform3f(glGetUniformLocation(p, "u_background"), background[0], background[1], background[2]);
  set_colour_uniforms(p, pane.style, pane.shown_network().outputs());
  glBindVertexArray(scene.mesh_vao);
  for (int on_floor = 1; on_floor >= 0; --on_floor) {
    glUniform1i(glGetUniformLocation(p, "u_on_floor"), on_floor);
    glUniform1i(glGetUniformLocation(p, "u_lit"), 1 - on_floor);
    glUniform1i(glGetUniformLocation(p, "u_fill"), 1);
    glEnable(GL_POLYGON_OFFSET_FILL); // edges drawn on a facet win the depth test
    glPolygonOffset(1.0f, 1.0f);
    glDrawArrays(GL_TRIANGLES, 0, scene.fill_vertices);
    glDisable(GL_POLYGON_OFFSET_FILL);
    if (scene.edge_vertices > 0) {
      glUniform1i(glGetUniformLocation(p, "u_fill"), 0);
      glEnable(GL_BLEND);
      glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
      glDepthMask(GL_FALSE);
      glDrawArrays(GL_LINES, scene.fill_vertices, scene.edge_vertices);
      glDepthMask(GL_TRUE);
      glDisable(GL_BLEND);
    }
  }

  const GLuint l = scene.lines_program;
  glUseProgram(l);
  glUniformMatrix4fv(glGetUniformLocation(l, "u_view_projection"), 1, GL_FALSE,
                     view_projection.data());
  glUniform2f(glGetUniformLocation(l, "u_viewport"), static_cast<float>(w), static_cast<float>(h));
  glBindVertexArray(scene.lines_vao);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glUniform1f(glGetUniformLocation(l, "u_width"), 1.0f * key.pixel_ratio);
  glUniform4f(glGetUniformLocation(l, "u_colour"), 0.75f, 0.78f, 0.85f, 0.45f);
  glDrawArrays(GL_TRIANGLES, scene.surface_line_vertices + scene.floor_line_vertices,
               scene.frame_line_vertices);
  glDisable(GL_BLEND);
  if (key.boundary_width > 0 && scene.surface_line_vertices + scene.floor_line_vertices > 0) {
    glUniform1f(glGetUniformLocation(l, "u_width"), key.boundary_width * key.pixel_ratio);
    glUniform4f(glGetUniformLocation(l, "u_colour"), 0.05f, 0.05f, 0.08f, 1.0f);
    glDrawArrays(GL_TRIANGLES, 0, scene.surface_line_vertices);
    glUniform1f(glGetUniformLocation(l, "u_width"), 0.6f * key.boundary_width * key.pixel_ratio);
    glUniform4f(glGetUniformLocation(l, "u_colour"), 0.05f, 0.05f, 0.08f, 0.8f);
    glEnable(GL_BLEND);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    glDrawArrays(GL_TRIANGLES, scene.surface_line_vertices, scene.floor_line_vertices);
    glDisable(GL_BLEND);
  }
  // Data points: a dark casing, then the class colour (as the 2-D points, kClassColours).
  for (int c = 0; c < kClassColourCount; ++c) {
    if (scene.point_count[c] == 0) continue;
    glUniform1f(glGetUniformLocation(l, "u_width"), 4.5f * key.pixel_ratio);
    glUniform4f(glGetUniformLocation(l, "u_colour"), 0.08f, 0.08f, 0.08f, 1.0f);
    glDrawArrays(GL_TRIANGLES, scene.point_first[c], scene.point_count[c]);
    glUniform1f(glGetUniformLocation(l, "u_width"), 2.5f * key.pixel_ratio);
    const Rgb& colour = kClassColours[c];
    glUniform4f(glGetUniformLocation(l, "u_colour"), colour.r, colour.g, colour.b, 1.0f);
    glDrawArrays(GL_TRIANGLES, scene.point_first[c], scene.point_count[c]);
  }
  glBindVertexArray(0);
  glDisable(GL_DEPTH_TEST);

  glBindFramebuffer(GL_READ_FRAMEBUFFER, scene.msaa_framebuffer);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, scene.resolve_framebuffer);
  glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}
} // namespace

void set_view_3d(Pane& pane, bool on) {
  if (on == pane.view_3d) return;
  pane.view_3d = on;
  pane.tess_uploaded = false; // the 2-D polygons and the 3-D surface share this flag
  scene.key_valid = false;
}

int view_3d_points(const Pane&) {
  int n = 0;
  for (int c : scene.point_count) n += c;
  return n / 12; // two segments of six vertices per point
}

bool view_3d_exact(const Pane&) {
  return scene.exact;
}

const char* view_3d_status(const Pane&) {
  if (!scene.error.empty()) {
    scene.status = "3-D view unavailable: " + scene.error;
    return scene.status.c_str();
  }
  if (scene.exact) return "surface: exact, one facet per tile";
  scene.status = "surface: " + std::to_string(scene.grid) + "x" + std::to_string(scene.grid) +
                 " grid (too many tiles)";
  return scene.status.c_str();
}

void draw_view_3d(Pane& pane, const Canvas& canvas, bool playing) {
  init_scene();
  const int w = canvas.pixel_width, h = canvas.pixel_height;
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, w, h);
  if (!scene.ready || w <= 0 || h <= 0) {
    glClearColor(background_rgb(pane.style)[0], background_rgb(pane.style)[1],
                 background_rgb(pane.style)[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    return;
  }
  ensure_targets(w, h);
  rebuild_mesh(pane, playing);

  // Height mapping: the output's range over the surface, eased while training (the surface
  // then grows and shrinks smoothly instead of jumping; the floor stays below it).
  const double ease = playing && scene.have_range ? 0.15 : 1.0;
  // The eased range always holds the current one, so the surface never rises above the height
  // its frame is built for, nor sinks through the floor, while the range catches up.
  scene.lo = std::min(scene.lo + ease * (scene.f_min - scene.lo), scene.f_min);
  scene.hi = std::max(scene.hi + ease * (scene.f_max - scene.hi), scene.f_max);
  scene.have_range = true;
  // A (nearly) constant output stays flat instead of magnifying float noise into spikes.
  const double span =
      std::max(scene.hi - scene.lo, 1e-3 * (1 + std::max(std::abs(scene.lo), std::abs(scene.hi))));
  const float height_scale = static_cast<float>(kSurfaceHeight / span);
  const float height_offset = static_cast<float>(-scene.lo * kSurfaceHeight / span);
  const float floor_z = std::max(
      -1.0f,
      std::min(0.0f, static_cast<float>(scene.f_min * height_scale + height_offset)) - kFloorGap);

  SceneKey key;
  std::memset(&key, 0, sizeof key); // compared byte by byte
  key.mesh_generation = scene.mesh_generation;
  key.view = pane.view;
  key.yaw = pane.orbit_yaw;
  key.pitch = pane.orbit_pitch;
  key.distance = pane.orbit_distance;
  key.width = w;
  key.height = h;
  key.pixel_ratio = canvas.pixel_ratio;
  key.color_mode = static_cast<int>(pane.style.color_mode);
  key.output_index = pane.style.output_index;
  key.output_kind = static_cast<int>(pane.style.output_kind);
  key.value_scale = pane.style.value_scale;
  key.gradient_scale = pane.style.gradient_scale;
  key.height_scale = height_scale;
  key.height_offset = height_offset;
  key.floor_z = floor_z;
  key.boundary_width = pane.style.boundary_width;
  key.wash = pane.style.light ? 1.0f + pane.style.wash : pane.style.wash;
  key.points_generation = pane.points_generation;
  if (!scene.key_valid || std::memcmp(&key, &scene.key, sizeof key) != 0) {
    rebuild_lines(pane, height_scale, height_offset, floor_z);
    const float cos_pitch = std::cos(key.pitch);
    const Eigen::Vector3f target(0.0f, 0.0f, 0.5f * (floor_z + kSurfaceHeight));
    const Eigen::Vector3f eye =
        target + key.distance * Eigen::Vector3f(cos_pitch * std::cos(key.yaw),
                                                cos_pitch * std::sin(key.yaw), std::sin(key.pitch));
    const float aspect = static_cast<float>(w) / h;
    Eigen::Matrix4f shift = Eigen::Matrix4f::Identity(); // centre the scene right of the panel
    if (canvas.css_width > 2.5f * kPanelInset) shift(0, 3) = kPanelInset / canvas.css_width;
    const Eigen::Matrix4f view_projection =
        shift * perspective(kFieldOfView, aspect, 0.02f, 50.0f) * look_at(eye, target);
    draw_scene(pane, key, view_projection, eye);
    scene.key = key;
    scene.key_valid = true;
  }

  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, w, h);
  glUseProgram(scene.blit_program);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, scene.resolve_texture);
  glUniform1i(glGetUniformLocation(scene.blit_program, "u_image"), 0);
  static GLuint empty_vao = 0;
  if (!empty_vao) glGenVertexArrays(1, &empty_vao);
  glBindVertexArray(empty_vao);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
}

bool handle_event_3d(Pane& pane, const SDL_Event& e, bool on_canvas, bool* dragging) {
  switch (e.type) {
  case SDL_MOUSEWHEEL:
    if (on_canvas && e.wheel.y != 0)
      pane.orbit_distance =
          std::clamp(pane.orbit_distance * (e.wheel.y > 0 ? 0.88f : 1.0f / 0.88f), 0.6f, 8.0f);
    return true;
  case SDL_MOUSEBUTTONDOWN:
    if (on_canvas) *dragging = e.button.button == SDL_BUTTON_LEFT;
    return true;
  case SDL_MOUSEMOTION:
    if (*dragging && (e.motion.state & SDL_BUTTON_LMASK)) {
      pane.orbit_yaw -= 0.008f * e.motion.xrel;
      pane.orbit_pitch = std::clamp(pane.orbit_pitch + 0.008f * e.motion.yrel, 0.05f, 1.55f);
    }
    return true;
  case SDL_MOUSEBUTTONUP:
    *dragging = false;
    return true;
  default:
    return false;
  }
}

} // namespace splinescope
