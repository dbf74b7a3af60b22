from deviation_cli.cli import main

main()
