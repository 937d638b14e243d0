trap 'echo exiting $?' EXIT
echo body
false
