#version 300 es
// flat_polygons.vert - exact tiles and their edges in their vertex colour only (the code-hash
// view): the same vertex layout as polygons.vert, one varying instead of five, which a software
// rasterizer interpolates at every pixel.
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec4 a_colour;
uniform vec4 u_window; // x0, x1, y0, y1
out vec4 v_colour;
void main() {
  vec2 uv = (a_position - u_window.xz) / vec2(u_window.y - u_window.x, u_window.w - u_window.z);
  gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);
  v_colour = a_colour;
}
