#version 300 es
// points.vert - data points as screen-aligned quads (6 vertices per point, each with the point's
// attributes).
layout(location = 0) in vec4 a_point; // x, y, class (or target), kind (0 train, 1 test, 2 placed)
uniform vec4 u_window;                // x0, x1, y0, y1
uniform vec2 u_viewport;              // pixels
uniform float u_radius;               // pixels
out vec2 v_offset;                    // position in the quad, in pixels from the centre
flat out vec4 v_point;

const vec2 kCorners[6] = vec2[6](vec2(-1, -1), vec2(1, -1), vec2(1, 1),
                                 vec2(-1, -1), vec2(1, 1), vec2(-1, 1));
void main() {
  vec2 corner = kCorners[gl_VertexID % 6];
  // A placed point's diamond reaches 1.33 radii along the axes (points.frag).
  float extent = (a_point.w > 1.5 ? 1.33 : 1.0) * u_radius + 1.0;
  vec2 uv = (a_point.xy - u_window.xz) / vec2(u_window.y - u_window.x, u_window.w - u_window.z);
  vec2 ndc = uv * 2.0 - 1.0 + corner * extent * 2.0 / u_viewport;
  v_offset = corner * extent;
  v_point = a_point;
  gl_Position = vec4(ndc, 0.0, 1.0);
}
