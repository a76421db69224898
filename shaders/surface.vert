#version 300 es
// surface.vert - the 3-D view: tiles (the vertex layout of polygons.vert) lifted to the height of
// the chosen output, z = f_k(x), or laid flat on the floor below. The output is affine on every
// tile, so each tile becomes one flat facet: the affine spline made visible.
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec4 a_colour;
layout(location = 2) in vec4 a_f_lo;
layout(location = 3) in vec4 a_f_hi;
layout(location = 4) in vec2 a_f_ex;
layout(location = 5) in float a_gradient;
uniform mat4 u_view_projection;
uniform vec3 u_plane;       // cx, cy, 1 / size: input plane -> scene x, y (the view spans 1)
uniform vec2 u_height;      // scene z = f_k * u_height.x + u_height.y
uniform int u_on_floor;     // 1: flat at z = u_floor_z
uniform float u_floor_z;
uniform int u_output_index;
flat out vec4 v_colour;
out vec4 v_f_lo;
out vec4 v_f_hi;
out vec2 v_f_ex;
flat out float v_gradient;
out vec3 v_scene;
void main() {
  float f = u_output_index < 4   ? a_f_lo[u_output_index]
            : u_output_index < 8 ? a_f_hi[u_output_index - 4]
                                 : a_f_ex[u_output_index - 8];
  float z = u_on_floor == 1 ? u_floor_z : f * u_height.x + u_height.y;
  v_scene = vec3((a_position - u_plane.xy) * u_plane.z, z);
  gl_Position = u_view_projection * vec4(v_scene, 1.0);
  v_colour = a_colour;
  v_f_lo = a_f_lo;
  v_f_hi = a_f_hi;
  v_f_ex = a_f_ex;
  v_gradient = a_gradient;
}
