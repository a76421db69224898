// blit.frag - copies the cached tile image to the screen.
uniform sampler2D u_image;
in vec2 v_uv;
out vec4 frag_colour;
void main() { frag_colour = texture(u_image, v_uv); }
