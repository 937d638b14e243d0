true && echo a1
false && echo no
false || echo o1
true || echo no
false && echo no || echo chain
true && false || echo recovered
echo x && { echo y; false; } || echo z
