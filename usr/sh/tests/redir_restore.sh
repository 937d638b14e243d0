f() { echo in-f; }
f > out1
echo to-stdout
cat out1
{ echo g1; echo g2; } > out2
echo after-group
cat out2
for i in 1 2; do echo $i; done > out3
echo after-loop
cat out3
read x < out1
echo "$x"
