#version 300 es
// polygons.vert - exact tiles (triangle fans) and their edges (lines) from the engine's
// tessellation, in input coordinates. Every vertex carries the network's outputs there (exact:
// the output is affine on a tile, so linear interpolation reproduces it) and the norm of the
// chosen output's gradient on its tile, for the colour modes (colour_modes.glsl).
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec4 a_colour;   // code-hash colour (fills) or the edge colour
layout(location = 2) in vec4 a_f_lo;     // outputs 0-3
layout(location = 3) in vec4 a_f_hi;     // outputs 4-7
layout(location = 4) in vec2 a_f_ex;     // outputs 8-9
layout(location = 5) in float a_gradient;
uniform vec4 u_window; // x0, x1, y0, y1
out vec4 v_colour;
out vec4 v_f_lo;
out vec4 v_f_hi;
out vec2 v_f_ex;
out float v_gradient;
void main() {
  vec2 uv = (a_position - u_window.xz) / vec2(u_window.y - u_window.x, u_window.w - u_window.z);
  gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);
  v_colour = a_colour;
  v_f_lo = a_f_lo;
  v_f_hi = a_f_hi;
  v_f_ex = a_f_ex;
  v_gradient = a_gradient;
}
