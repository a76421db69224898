// renderer_lines.cpp - thick line segments as triangles. WebGL draws GL_LINES one pixel wide
// only; an exported image at 2x or 4x needs edges, the decision boundary and a neuron's bent
// hyperplane as wide as the canvas shows them, scaled.
#include "renderer.h"

#include <cmath>

namespace splinescope {

void Renderer::draw_lines(const Window& window, int width, int height,
                          const std::vector<float>& segments, const Rgb& colour, float alpha,
                          float width_px) {
  if (segments.size() < 4 || width <= 0 || height <= 0 || width_px <= 0) return;
  if (!lines_vao_) {
    glGenVertexArrays(1, &lines_vao_);
    glGenBuffers(1, &lines_buffer_);
    glBindVertexArray(lines_vao_);
    glBindBuffer(GL_ARRAY_BUFFER, lines_buffer_);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 6 * sizeof(float), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 6 * sizeof(float),
                          reinterpret_cast<const void*>(2 * sizeof(float)));
    glBindVertexArray(0);
  }
  // The quad is built in pixels (so the width is the same in every direction) and mapped back
  // to input coordinates, which the polygon shader expects.
  const double sx = width / window.width(), sy = height / window.height(); // pixels per unit
  const double half = 0.5 * width_px;
  std::vector<float> data; // x, y, r, g, b, a per vertex, 6 vertices per segment
  data.reserve(segments.size() / 4 * 36);
  auto vertex = [&](double px, double py) {
    data.insert(data.end(),
                {static_cast<float>(window.x0 + px / sx), static_cast<float>(window.y0 + py / sy),
                 colour.r, colour.g, colour.b, alpha});
  };
  for (std::size_t i = 0; i + 3 < segments.size(); i += 4) {
    const double ax = (segments[i] - window.x0) * sx, ay = (segments[i + 1] - window.y0) * sy;
    const double bx = (segments[i + 2] - window.x0) * sx, by = (segments[i + 3] - window.y0) * sy;
    const double len = std::hypot(bx - ax, by - ay);
    if (!(len > 1e-9)) continue;
    // Along (u) and across (n) the segment, half a width each; the ends are extended by half a
    // width so that consecutive segments of a polyline meet without a notch.
    const double ux = (bx - ax) / len * half, uy = (by - ay) / len * half;
    const double nx = -uy, ny = ux;
    const double a0x = ax - ux + nx, a0y = ay - uy + ny, a1x = ax - ux - nx, a1y = ay - uy - ny;
    const double b0x = bx + ux + nx, b0y = by + uy + ny, b1x = bx + ux - nx, b1y = by + uy - ny;
    vertex(a0x, a0y);
    vertex(a1x, a1y);
    vertex(b1x, b1y);
    vertex(a0x, a0y);
    vertex(b1x, b1y);
    vertex(b0x, b0y);
  }
  if (data.empty()) return;
  bind_output(width, height);
  // Translucent segments overlap where they meet; with a depth buffer in the target (the export
  // framebuffer has one) every pixel is blended once per call. Without one this is a no-op.
  glClear(GL_DEPTH_BUFFER_BIT);
  glEnable(GL_DEPTH_TEST);
  glDepthFunc(GL_LESS);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glUseProgram(polygons_program_);
  glUniform4f(glGetUniformLocation(polygons_program_, "u_window"), static_cast<float>(window.x0),
              static_cast<float>(window.x1), static_cast<float>(window.y0),
              static_cast<float>(window.y1));
  glBindVertexArray(lines_vao_);
  glBindBuffer(GL_ARRAY_BUFFER, lines_buffer_);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(float)), data.data(),
               GL_STREAM_DRAW);
  glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(data.size() / 6));
  glBindVertexArray(0);
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_SCISSOR_TEST);
}

} // namespace splinescope
