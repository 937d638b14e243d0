trap 'echo parent-exit' EXIT
(echo in-sub)
x=$(echo sub)
echo $x
