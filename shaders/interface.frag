#version 300 es
// interface.frag - Dear ImGui's pixels: the vertex colour times the font atlas.
precision mediump float;
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_colour;
flat in int v_solid;
out vec4 o_colour;
// A triangle's vertices are all solid (fills, anti-aliased fringes) or all textured (glyphs):
// most of the interface's pixels skip the texture lookup.
void main() { o_colour = v_solid == 1 ? v_colour : v_colour * texture(u_texture, v_uv); }
