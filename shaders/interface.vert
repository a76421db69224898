#version 300 es
// interface.vert - Dear ImGui's vertices (web/imgui_renderer.cpp): position, font-atlas uv,
// colour.
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_colour;
uniform mat4 u_projection;
uniform vec2 u_white_uv; // the font atlas's white pixel: solid fills sample it
out vec2 v_uv;
out vec4 v_colour;
flat out int v_solid;
void main() {
  v_uv = a_uv;
  v_solid = a_uv == u_white_uv ? 1 : 0;
  v_colour = a_colour;
  gl_Position = u_projection * vec4(a_position, 0.0, 1.0);
}
