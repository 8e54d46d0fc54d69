from .command.cli import command

command()
